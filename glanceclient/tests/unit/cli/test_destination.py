"""Where ``glance image-download --file`` writes (the destination module),
through the real main(): links are followed and kept, devices and pipes
written through, an existing file keeps its inode, a new one is atomic."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import threading

import fixtures

from glanceclient.tests.unit import base
from glanceclient.tests.unit.v2.commands import base as cbase

IMAGE_URL = cbase.IMAGE_URL
DATA = b"0123456789abcdef" * 4096
NOBODY = 65534


class DestinationTest(cbase.CommandTest):
    def setUp(self):
        super().setUp()
        self.requests.get(
            IMAGE_URL,
            json=cbase.image(
                size=len(DATA),
                os_hash_algo="sha512",
                os_hash_value=hashlib.sha512(DATA).hexdigest(),
            ),
        )
        self.file = self.requests.get(
            IMAGE_URL + "/file",
            body=lambda request, context: io.BytesIO(DATA),
            headers={"Content-Type": "application/octet-stream"},
        )

    def download(self, path: str) -> tuple[int, str, str]:
        return self.run_glance("image-download", "--file", path, base.IMAGE_ID)

    def names(self) -> list[str]:
        return sorted(n for n in os.listdir(self.tmp) if n != "cache")

    def read(self, path: str) -> bytes:
        with open(path, "rb") as f:
            return f.read()

    def corrupt(self) -> None:
        self.requests.get(
            IMAGE_URL,
            json=cbase.image(size=len(DATA), os_hash_algo="sha512", os_hash_value="0" * 128),
        )

    def as_nobody(self, path: str, folder_mode: int) -> tuple[int, str]:
        """Download to ``path`` as an unprivileged user (in a child process
        when the tests run as root) with the test's folder in
        ``folder_mode``; return the status and stderr."""
        os.chmod(self.tmp, folder_mode)
        self.addCleanup(os.chmod, self.tmp, 0o700)
        if os.geteuid() != 0:
            status, _out, err = self.download(path)
            return status, err
        # The child cannot read what only root can, such as a Python
        # installed under /root: import, as root, what a download imports
        # on first use, by one download elsewhere.
        warm_up = self.useFixture(fixtures.TempDir()).path
        self.assertEqual(0, self.download(os.path.join(warm_up, "image.raw"))[0])
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through the pipe
            status = 2
            try:
                os.close(reader)
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
                status, _out, err = self.download(path)
                os.write(writer, err.encode())
            finally:
                os._exit(status)
        os.close(writer)
        with os.fdopen(reader, "rb") as pipe:
            err = pipe.read().decode()
        _pid, code = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(code), err


class LinkTest(DestinationTest):
    def test_link_to_stdout_writes_through_it(self):
        # What /dev/stdout is (a link to /proc/self/fd/1), with a link and
        # a descriptor of the test's own: `glance ... --file LINK > out`.
        out = os.path.join(self.tmp, "out.raw")
        with open(out, "wb") as redirected:
            link = os.path.join(self.tmp, "stdout")
            os.symlink("/proc/self/fd/%d" % redirected.fileno(), link)
            status, _, err = self.download(link)
        self.assertEqual(0, status, err)
        self.assertTrue(os.path.islink(link))
        self.assertEqual(DATA, self.read(out))
        self.assertEqual(["out.raw", "stdout"], self.names())

    def test_proc_and_dev_fd_of_a_file(self):
        out = os.path.join(self.tmp, "out.raw")
        for prefix in ("/proc/self/fd/", "/dev/fd/"):
            with open(out, "wb") as redirected:
                status, _, err = self.download(prefix + str(redirected.fileno()))
            self.assertEqual((0, ""), (status, err))
            self.assertEqual(DATA, self.read(out))
            self.assertEqual(["out.raw"], self.names())
            os.unlink(out)

    def test_proc_and_dev_fd_of_a_pipe(self):
        for prefix in ("/proc/self/fd/", "/dev/fd/"):
            reader, writer = os.pipe()
            received: list[bytes] = []

            def drain(fd: int = reader, into: list[bytes] = received) -> None:
                with os.fdopen(fd, "rb") as pipe:
                    into.append(pipe.read())

            thread = threading.Thread(target=drain)
            thread.start()
            try:
                status, _, err = self.download(prefix + str(writer))
            finally:
                os.close(writer)
                thread.join()
            self.assertEqual((0, ""), (status, err))
            self.assertEqual([DATA], received)

    def test_link_to_a_regular_file_keeps_the_link(self):
        target = os.path.join(self.tmp, "target.raw")
        with open(target, "wb") as f:
            f.write(b"old")
        link = os.path.join(self.tmp, "link")
        os.symlink("target.raw", link)
        status, _, err = self.download(link)
        self.assertEqual(0, status, err)
        self.assertEqual("target.raw", os.readlink(link))
        self.assertEqual(DATA, self.read(target))
        self.assertEqual(["link", "target.raw"], self.names())

    def test_dangling_link_creates_its_target(self):
        link = os.path.join(self.tmp, "link")
        os.symlink("new.raw", link)
        status, _, err = self.download(link)
        self.assertEqual(0, status, err)
        self.assertTrue(os.path.islink(link))
        self.assertEqual(DATA, self.read(os.path.join(self.tmp, "new.raw")))
        self.assertEqual(["link", "new.raw"], self.names())

    def test_fifo_is_written_through(self):
        fifo = os.path.join(self.tmp, "fifo")
        os.mkfifo(fifo)
        received: list[bytes] = []

        def drain() -> None:
            with open(fifo, "rb") as pipe:
                received.append(pipe.read())

        thread = threading.Thread(target=drain)
        thread.start()
        status, _, err = self.download(fifo)
        thread.join()
        self.assertEqual((0, ""), (status, err))
        self.assertEqual([DATA], received)
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode))

    def test_directory(self):
        self.assert_failed(self.download(self.tmp), "Unable to write %s: Is a directory" % self.tmp)


class ExistingFileTest(DestinationTest):
    def existing(self, mode: int = 0o600) -> str:
        path = os.path.join(self.tmp, "image.raw")
        with open(path, "wb") as f:
            f.write(b"previous contents, longer than nothing")
        os.chmod(path, mode)
        return path

    def test_keeps_mode_inode_and_links(self):
        path = self.existing(0o600)
        other = os.path.join(self.tmp, "other-name")
        os.link(path, other)
        before = os.stat(path)
        status, _, err = self.download(path)
        self.assertEqual(0, status, err)
        after = os.stat(path)
        self.assertEqual(0o600, stat.S_IMODE(after.st_mode))
        self.assertEqual((before.st_ino, 2), (after.st_ino, after.st_nlink))
        self.assertEqual(DATA, self.read(other))
        self.assertEqual(["image.raw", "other-name"], self.names())

    def test_keeps_extended_attributes(self):
        path = self.existing()
        try:
            os.setxattr(path, "user.glanceclient-test", b"kept")
        except OSError as e:
            self.skipTest("no user extended attributes here: %s" % e)
        self.assertEqual(0, self.download(path)[0])
        self.assertEqual(b"kept", os.getxattr(path, "user.glanceclient-test"))

    def test_keeps_owner(self):
        path = self.existing(0o666)
        if os.geteuid() == 0:
            os.chown(path, NOBODY, NOBODY)
        owner = os.stat(path).st_uid
        self.assertEqual(0, self.download(path)[0])
        self.assertEqual(owner, os.stat(path).st_uid)
        self.assertEqual(DATA, self.read(path))

    def test_hash_mismatch_leaves_it_as_it_was(self):
        path = self.existing()
        self.corrupt()
        status, _, err = self.download(path)
        self.assertEqual(1, status)
        self.assertIn("Corrupt image download", err)
        self.assertEqual(b"previous contents, longer than nothing", self.read(path))
        self.assertEqual(["image.raw"], self.names())

    def test_read_only_file_is_not_written(self):
        path = self.existing(0o444)
        status, err = self.as_nobody(path, 0o777)
        self.assertEqual(1, status, err)
        self.assert_one_error_line(err, "Unable to write %s: Permission denied" % path)
        self.assertEqual(b"previous contents, longer than nothing", self.read(path))
        self.assertEqual(["image.raw"], self.names())

    def test_writable_file_in_a_directory_that_is_not(self):
        path = self.existing(0o666)
        status, err = self.as_nobody(path, 0o755)
        self.assertEqual((0, ""), (status, err))
        self.assertEqual(DATA, self.read(path))
        self.assertEqual(["image.raw"], self.names())


class NewFileTest(DestinationTest):
    def test_new_file_is_atomic(self):
        path = os.path.join(self.tmp, "new.raw")
        self.corrupt()
        self.assertEqual(1, self.download(path)[0])
        self.assertEqual([], self.names())

    def test_new_file_mode_follows_the_umask(self):
        old = os.umask(0o077)
        self.addCleanup(os.umask, old)
        path = os.path.join(self.tmp, "new.raw")
        self.assertEqual(0, self.download(path)[0])
        self.assertEqual(0o600, stat.S_IMODE(os.stat(path).st_mode))
        self.assertEqual(DATA, self.read(path))

    def test_missing_directory(self):
        path = os.path.join(self.tmp, "nowhere", "new.raw")
        self.assert_failed(
            self.download(path), "Unable to write %s: No such file or directory" % path
        )

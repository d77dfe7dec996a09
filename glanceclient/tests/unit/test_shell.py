"""The ``glance`` command: the real main() with argv, stdout, stderr and
exit status captured, the server answered through requests-mock."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import fixtures

from glanceclient.tests.fakeglance import routes
from glanceclient.tests.fakeglance import wire
from glanceclient.tests.unit import base


class VersionErrorsTest(base.ShellTestCase):
    """Failures the version list explains: read then, and only then."""

    def test_caching_disabled(self):
        self.mock_versions(base.WITHOUT_CACHE)
        self.json_error(
            "GET",
            base.NODES_URL,
            404,
            "Not Found",
            "Caching via API is not supported at this site.",
        )
        status, _, err = self.run_glance("cache-nodes-list", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err,
            "Image caching is not enabled on the Glance API at %s: it does not offer "
            "the cache API (version 2.14)." % base.ENDPOINT,
        )
        self.assertEqual(
            ["/v2/cache/nodes/" + base.IMAGE_ID, "/versions"],
            [r.path for r in self.requests.request_history],
        )

    def test_caching_disabled_stops_at_the_first_image(self):
        self.mock_versions(base.WITHOUT_CACHE)
        for image in (base.IMAGE_ID, base.OTHER_ID):
            self.json_error(
                "PUT",
                base.CACHE_URL + "/" + image,
                404,
                "Not Found",
                "Caching via API is not supported at this site.",
            )
        status, _, err = self.run_glance("cache-queue", base.IMAGE_ID, base.OTHER_ID)
        self.assertEqual(1, status)
        self.assertIn("Image caching is not enabled", err)
        self.assertEqual(
            ["/v2/cache/" + base.IMAGE_ID, "/versions"],
            [r.path for r in self.requests.request_history],
        )

    def test_server_too_old(self):
        self.mock_versions(base.OLD_WITH_CACHE)
        self.requests.get(base.NODES_URL, status_code=404, text="The resource could not be found.")
        status, _, err = self.run_glance("cache-nodes-list", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err,
            "The Glance API at %s is too old for listing the nodes an image is cached on: "
            "that needs Image API version 2.18, and the server offers up to 2.16." % base.ENDPOINT,
        )
        self.assertEqual(
            ["/v2/cache/nodes/" + base.IMAGE_ID, "/versions"],
            [r.path for r in self.requests.request_history],
        )

    def test_unknown_image_is_not_a_version_problem(self):
        self.mock_versions()
        message = "Image %s not found." % base.IMAGE_ID
        self.json_error("DELETE", base.CACHE_URL + "/" + base.IMAGE_ID, 404, "Not Found", message)
        status, _, err = self.run_glance("cache-delete", base.IMAGE_ID)
        self.assertEqual(1, status)
        verb = "delete from the cache"  # spelled apart: ruff's S608 reads it as SQL
        url = base.CACHE_URL + "/" + base.IMAGE_ID
        self.assert_one_error_line(
            err,
            "Unable to %s image %s: HTTP 404 Not Found: %s (DELETE %s, request id %s)"
            % (verb, base.IMAGE_ID, message, url, base.REQUEST_ID),
        )

    def test_unsupported_api_version_option(self):
        status, _, err = self.run_glance("--os-image-api-version", "1", "cache-list")
        self.assertEqual(1, status)
        self.assert_one_error_line(err, "Image API version 1 is not supported; use 2.")
        self.assertEqual([], self.requests.request_history)


class HostileInputTest(base.ShellTestCase):
    """Bad options, odd endpoints and hostile answers: one line each."""

    def setUp(self):
        super().setUp()
        self.mock_versions()

    def assert_usage_error(self, argv, expected, token_args=False):
        status, out, err = self.run_glance(*argv, token_args=token_args)
        self.assertEqual(2, status, err)
        self.assertEqual("", out)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertTrue(err.startswith("glance: error: "), err)
        self.assertIn(expected, err)
        return err

    def test_bad_timeouts_are_usage_errors(self):
        for value in ("-1", "0", "nan", "inf", "1e309", "soon"):
            self.assert_usage_error(
                ["--timeout", value, "cache-list"],
                "argument --timeout: %r is not a number of seconds above 0." % value,
                token_args=True,
            )
        self.assertEqual([], self.requests.request_history)

    def test_bad_endpoints_are_usage_errors(self):
        for url, problem in (
            ("127.0.0.1:9292", "it has no scheme (http:// or https://)"),
            ("ftp://node/", "its scheme is ftp, not http or https"),
            ("file:///tmp", "its scheme is file, not http or https"),
            ("http://node:9292#x", "it has a fragment"),
            ("http://node:9292?x=1", "it has a query"),
        ):
            for command in (["cache-delete", base.IMAGE_ID], ["cache-clean"], ["cache-list"]):
                err = self.assert_usage_error(
                    ["--os-image-url", url, "--os-auth-token", "t", *command], problem
                )
                self.assertIn("argument --os-image-url: The endpoint %r" % url, err)
        with fixtures.EnvironmentVariable("OS_IMAGE_URL", "http://node:9292#x"):
            self.assert_usage_error(["--os-auth-token", "t", "cache-clear"], "a fragment")
        self.assertEqual([], self.requests.request_history)

    def test_token_with_a_line_break_is_refused_unquoted(self):
        # As $(cat token.txt) gives it from a file with CRLF line ends.
        token = "gAAAAABsecret-token\r"
        refused = (
            "The token cannot be sent: it holds a line break, a space or another control "
            "character (was it read from a file with CRLF line ends?)."
        )
        for argv in (
            ["--os-image-url", base.ENDPOINT, "--os-auth-token", token, "cache-list"],
            ["--os-auth-url", base.AUTH_URL, "--os-auth-token", token + "\n", "cache-list"],
            ["--os-image-url", base.ENDPOINT, "--os-auth-token", "\x1b[2J" + token, "cache-list"],
        ):
            err = self.assert_usage_error(argv, "argument --os-auth-token: " + refused)
            self.assertNotIn("secret", err)
        with fixtures.EnvironmentVariable("OS_AUTH_TOKEN", token):
            err = self.assert_usage_error(["--os-image-url", base.ENDPOINT, "cache-list"], refused)
            self.assertNotIn("secret", err)
        status, out, err = self.run_glance(
            "--os-auth-url", base.AUTH_URL, "--os-auth-type", "token", "--os-token", token,
            "--os-project-name", "p", "cache-list", token_args=False,
        )  # fmt: skip
        self.assertEqual(1, status, err)
        self.assert_one_error_line(err, refused)
        self.assertNotIn("secret", err)
        self.assertEqual([], self.requests.request_history)

    def test_command_usage_errors_show_the_usage_and_name_the_command(self):
        # Issue #23 asks for this change: the error line was alone and
        # named no command.
        for argv, expected in (
            (["cache-clear", "--target", "all"], "argument --target: invalid choice: 'all' "),
            (["cache-nodes-list"], "the following arguments are required: <image>"),
        ):
            status, out, err = self.run_glance(*argv)
            self.assertEqual((2, ""), (status, out), err)
            last = err.splitlines()[-1]
            self.assert_command_usage_error(err, argv[0], last.split(": ", 3)[-1])
            self.assertTrue(last.startswith("glance: error: %s: %s" % (argv[0], expected)), err)

    def test_unknown_command_is_one_line_with_close_names(self):
        err = self.assert_usage_error(["image-lst"], "invalid choice: 'image-lst' (did you mean")
        self.assertIn("image-list", err)
        self.assertNotIn("md-tag-list", err)  # not the whole list of commands
        err = self.assert_usage_error(["frobnicate"], "invalid choice", True)
        self.assertIn("(see 'glance help' for the commands)", err)

    def test_redirect_is_one_error_line(self):
        self.requests.delete(
            base.CACHE_URL + "/" + base.IMAGE_ID,
            status_code=302,
            headers={"Location": "http://evil.example.test/steal"},
        )
        status, out, err = self.run_glance("cache-delete", base.IMAGE_ID)
        self.assertEqual(1, status)
        self.assertIn(
            "HTTP 302 Redirection: the server redirected the request to "
            "http://evil.example.test/steal",
            err,
        )
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertNotIn("evil", {r.hostname for r in self.requests.request_history})

    def test_300_to_a_write_fails(self):
        for command, method, url in (
            ("cache-clean", "POST", base.CACHE_URL + "/clean"),
            ("cache-clear", "DELETE", base.CACHE_URL),
            ("cache-queue", "PUT", base.CACHE_URL + "/" + base.IMAGE_ID),
        ):
            self.requests.register_uri(method, url, status_code=300)
            args = [command] + ([base.IMAGE_ID] if command == "cache-queue" else [])
            status, _, err = self.run_glance(*args)
            self.assertEqual(1, status, command)
            self.assertIn("HTTP 300 Multiple Choices", err)

    def test_control_characters_in_answers_are_escaped(self):
        self.requests.get(
            base.NODES_URL, json=["http://n1\n| forged | row |", "http://\x1b[31mred\u202e"]
        )
        status, out, err = self.run_glance("cache-nodes-list", base.IMAGE_ID)
        self.assertEqual(0, status, err)
        self.assertEqual(6, len(out.splitlines()), out)
        self.assertIn("http://n1\\n| forged | row |", out)
        self.assertIn("http://\\x1b[31mred\\u202e", out)
        self.assertNotIn("\x1b", out)
        self.json_error("GET", base.NODES_URL, 404, "Not Found", "No \x1b[2J image\nhere")
        status, out, err = self.run_glance("cache-nodes-list", base.IMAGE_ID)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertNotIn("\x1b", err)

    def test_names_with_line_breaks_fail_on_one_line(self):
        self.requests.get(base.IMAGES_URL, json={"images": []})
        status, _, err = self.run_glance("cache-delete", "a\nb")
        self.assertEqual(1, status)
        self.assert_one_error_line(
            err,
            "Unable to delete from the cache image a\\nb: "
            "No image with a name or ID of 'a\\nb' exists.",
        )


#: Every command ``glance help`` lists in upstream python-glanceclient 4.13.0
#: (its v2 shell, and the help and bash-completion built-ins).
UPSTREAM_COMMANDS = (
    "add-location",
    "bash-completion",
    "cache-clean",
    "cache-clear",
    "cache-delete",
    "cache-list",
    "cache-nodes-list",
    "cache-prune",
    "cache-queue",
    "explain",
    "help",
    "image-create",
    "image-create-via-import",
    "image-deactivate",
    "image-delete",
    "image-download",
    "image-import",
    "image-list",
    "image-reactivate",
    "image-show",
    "image-stage",
    "image-tag-delete",
    "image-tag-update",
    "image-tasks",
    "image-update",
    "image-upload",
    "import-info",
    "location-add",
    "location-delete",
    "location-update",
    "md-namespace-create",
    "md-namespace-delete",
    "md-namespace-import",
    "md-namespace-list",
    "md-namespace-objects-delete",
    "md-namespace-properties-delete",
    "md-namespace-resource-type-list",
    "md-namespace-show",
    "md-namespace-tags-delete",
    "md-namespace-update",
    "md-object-create",
    "md-object-delete",
    "md-object-list",
    "md-object-property-show",
    "md-object-show",
    "md-object-update",
    "md-property-create",
    "md-property-delete",
    "md-property-list",
    "md-property-show",
    "md-property-update",
    "md-resource-type-associate",
    "md-resource-type-deassociate",
    "md-resource-type-list",
    "md-tag-create",
    "md-tag-create-multiple",
    "md-tag-delete",
    "md-tag-list",
    "md-tag-show",
    "md-tag-update",
    "member-create",
    "member-delete",
    "member-get",
    "member-list",
    "member-update",
    "stores-delete",
    "stores-info",
    "task-create",
    "task-list",
    "task-show",
    "usage",
)


class SlowServerTest(base.ShellTestCase):
    """--timeout against a real socket: a server that sends its headers,
    then one byte of the body at a time, each well within the timeout."""

    def test_timeout_bounds_the_whole_call(self):
        self.requests.stop()  # to the loopback server below
        nodes_path = "/v2/cache/nodes/" + base.IMAGE_ID
        slow = wire.trickle(b'["' + b"a" * 5000 + b'"]', 0.05)
        server = self.useFixture(routes.FakeGlance({("GET", nodes_path): (200, slow)}))
        status, out, err = self.run_glance(
            "--os-image-url", server.url, "--os-auth-token", "t", "--timeout", "1",
            "cache-nodes-list", base.IMAGE_ID, token_args=False,
        )  # fmt: skip
        self.assertEqual(1, status, out)
        self.assert_one_error_line(
            err, "%s%s did not answer within 1 seconds." % (server.url, nodes_path)
        )


class BuiltinCommandsTest(base.ShellTestCase):
    def test_help(self):
        for argv in (["help"], ["--help"], ["-h"]):
            status, out, _ = self.run_glance(*argv, token_args=False)
            self.assertEqual(0, status)
            self.assertIn("cache-nodes-list", out)
            self.assertIn("--os-auth-url", out)
            self.assertIn("--os-cloud", out)

    def test_help_lists_every_upstream_command(self):
        status, out, _ = self.run_glance("help", token_args=False)
        self.assertEqual(0, status)
        listed = {line.split()[0] for line in out.splitlines() if line.startswith("    ")}
        self.assertEqual([], sorted(set(UPSTREAM_COMMANDS) - listed))

    def test_help_unknown_command(self):
        status, _, err = self.run_glance("help", "frobnicate", token_args=False)
        self.assertEqual(1, status)
        self.assert_one_error_line(err, "'frobnicate' is not a glance command.")

    def test_no_command(self):
        status, _, err = self.run_glance(token_args=False)
        self.assertEqual(2, status)
        self.assertIn("glance: error: a command is required", err)

    def test_unknown_command(self):
        status, _, err = self.run_glance("this-does-not-exist", token_args=False)
        self.assertEqual(2, status)
        self.assertIn("invalid choice", err)

    def test_bash_completion(self):
        status, out, _ = self.run_glance("bash-completion", token_args=False)
        self.assertEqual(0, status)
        words = out.split()
        for word in (
            "cache-nodes-list",
            "cache-clear",
            "--target",
            "--os-image-url",
            "--human-readable",
        ):
            self.assertIn(word, words)
        self.assertEqual([], self.requests.request_history)


class StartupImportsTest(base.TestCase):
    """The token-and-URL path loads neither keystoneauth1's plugin loading
    nor the clouds.yaml machinery (checked in a fresh interpreter)."""

    def test_fast_path_imports(self):
        probe = textwrap.dedent(
            """\
            import sys
            from glanceclient import shell
            shell.main(["--os-image-url", "http://127.0.0.1:9", "--os-auth-token", "t",
                        "--timeout", "0.5", "cache-nodes-list", "%s"])
            unwanted = ("keystoneauth1.loading", "openstack", "osc_lib", "cliff",
                        "prettytable", "stevedore")
            heavy = sorted(m for m in sys.modules if m.startswith(unwanted))
            print(",".join(heavy))
        """
            % base.IMAGE_ID
        )
        result = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
        )
        self.assertIn(
            "glance: error: Unable to connect to http://127.0.0.1:9/v2/cache/nodes/", result.stderr
        )
        self.assertEqual("", result.stdout.strip())

    def test_cache_nodes_list_by_id_loads_no_image_code(self):
        # An ID needs no lookup: the images controller and what it stands
        # on (data, locations, integrity and its thread pool), the
        # inventory (none given) and the schema options are never loaded.
        nodes_path = "/v2/cache/nodes/" + base.IMAGE_ID
        server = self.useFixture(routes.FakeGlance({("GET", nodes_path): (200, ["http://n1"])}))
        probe = textwrap.dedent(
            """\
            import sys
            from glanceclient import shell
            status = shell.main(["--os-image-url", sys.argv[1], "--os-auth-token", "t",
                                 "cache-nodes-list", sys.argv[2]])
            unwanted = ("glanceclient.v2.images", "glanceclient.v2.image_data",
                        "glanceclient.v2.image_locations", "glanceclient.common.integrity",
                        "concurrent.futures", "glanceclient.v2.inventory",
                        "glanceclient.cli.schema_options")
            print(status, ",".join(sorted(m for m in sys.modules if m.startswith(unwanted))))
            """
        )
        result = subprocess.run(
            [sys.executable, "-c", probe, server.url, base.IMAGE_ID],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        self.assertEqual("", result.stderr)
        self.assertIn("http://n1", result.stdout)
        self.assertEqual("0 ", result.stdout.splitlines()[-1])
        self.assertEqual([("GET", nodes_path)], [(r.method, r.path) for r in server.recorded])

    def test_glance_command_freezes_what_is_left_at_exit(self):
        # The glance command (no argv: the process's own) leaves the objects
        # to the interpreter's exit, not to its last garbage collection; a
        # caller that passes argv goes on with its collector as it was.
        probe = textwrap.dedent(
            """\
            import gc, sys
            from glanceclient import shell
            status = shell.main(["help"])
            given = gc.get_freeze_count()
            sys.argv = ["glance", "help"]
            status += shell.main()
            print(status, given, gc.get_freeze_count() > given, gc.isenabled())
            """
        )
        result = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
        )
        self.assertEqual("", result.stderr)
        self.assertEqual("0 0 True True", result.stdout.splitlines()[-1])

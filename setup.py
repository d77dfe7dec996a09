import configparser
import os

import setuptools

# The version is the one setup.cfg names, in a git checkout and in a tree
# without git metadata (an unpacked `git archive`) alike: left to itself,
# pbr derives it from git history and tags, and gives up without them.
# PBR_VERSION is pbr's own override; one set by the caller still wins.
_cfg = configparser.ConfigParser(interpolation=None)
_cfg.read(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'setup.cfg'))
os.environ.setdefault('PBR_VERSION', _cfg['metadata']['version'])

setuptools.setup(setup_requires=['pbr>=6.0.0'], pbr=True)

"""The ``glance`` commands, one module per resource group, one
``do_<name>`` function per command; :data:`glanceclient.v2.shell.COMMANDS`
says which module holds which command."""

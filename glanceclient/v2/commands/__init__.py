"""The ``glance`` commands of the image side of the API, one module per
resource group; :data:`glanceclient.shell.COMMAND_MODULES` gathers them."""

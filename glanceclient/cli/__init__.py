"""What only the front ends use: the ``glance`` command and the
OpenStackClient plugin.

Declaring arguments and the options several commands share
(:mod:`.args`, :mod:`.options`), tables and Property / Value blocks
(:mod:`.output`), lines on stderr (:mod:`.messages`), progress bars
(:mod:`.progress`), where a download is written (:mod:`.destination`),
options made from the server's schemas (:mod:`.schema_options`) and the
rows of the fleet tables both front ends show (:mod:`.fleet`). The
library (:mod:`glanceclient.common`, :mod:`glanceclient.v2`) never imports
from here.
"""

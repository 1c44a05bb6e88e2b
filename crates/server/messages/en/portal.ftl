# The public portal: a party's own view, announcements.

access_denied = the case number or the access code is wrong
access_locked = too many wrong codes for this case number; try again later

"""The ``rules`` predicates of 一案双查 (who may use what), registered when the app is
ready. The rules themselves live in ``dualcheck.policy``."""

import rules

from dualcheck.policy import can_use_dualcheck

# The 一案双查 menu and board (core's navigation asks by this name, importing no app).
rules.add_rule("dualcheck.use_dualcheck", rules.predicate(can_use_dualcheck))

"""Models of the implementation_plans app, one module per area."""

from implementation_plans.models.plan import *  # noqa: F403
from implementation_plans.models.processes import *  # noqa: F403

from implementation_plans.plan import reminders as plan_reminders
from implementation_plans.processes import reminders as process_reminders

DUE_ITEM_SOURCES = [*process_reminders.DUE_ITEM_SOURCES, *plan_reminders.DUE_ITEM_SOURCES]
APPROVAL_WAIT_SOURCES = [*process_reminders.APPROVAL_WAIT_SOURCES, *plan_reminders.APPROVAL_WAIT_SOURCES]
DIGEST_SECTIONS = [*process_reminders.DIGEST_SECTIONS, *plan_reminders.DIGEST_SECTIONS]

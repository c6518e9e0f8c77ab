from implementation_plans.plan.urls import urlpatterns as plan_urlpatterns
from implementation_plans.processes.urls import urlpatterns as process_urlpatterns

urlpatterns = [*process_urlpatterns, *plan_urlpatterns]

"""Platform adapters, the scheduler and the composition root (`adapters.main`)."""

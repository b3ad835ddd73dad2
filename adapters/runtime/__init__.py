"""What runs ippo as a process: the long-running server (`serve`), one-shot
ticks for cron (`tick`), the scheduler, health and readiness, logs, the
operator's checks (`doctor`), and the pieces they share (clock, request
ledger, the configured platforms). `adapters.main` is the command line that
starts them."""

from celery import shared_task


@shared_task(acks_late=True)
def seal_node_events() -> int:
    from audit.services import node_events_seal

    return node_events_seal()


@shared_task(acks_late=True)
def verify_node_event_chain() -> dict:
    from audit.services import node_events_nightly_check

    result = node_events_nightly_check()
    return {"ok": result.ok, "checked": result.checked, "broken_event": result.broken_event_id}

namespace TicketHub.Contracts;

/// <summary>
/// Published by a service when one of its consumers gave up on a message: immediate retries and
/// delayed redeliveries spent. The service keeps the message itself (its <c>dead_letters</c> table);
/// intake keeps the list people act on (<c>/api/v1/admin/dead-letters</c>) and shows the ticket
/// failed.
/// </summary>
/// <param name="DeadLetterId">The dead letter's id in <paramref name="Service"/>'s database.</param>
/// <param name="Service">The service that gave up, e.g. <c>connectors-glpi</c>.</param>
/// <param name="Queue">The queue the message was consumed from.</param>
/// <param name="MessageType">The message's contract, e.g. <c>TicketRouted</c>.</param>
/// <param name="TicketId">The ticket the message is about, when it names one.</param>
/// <param name="Reference">The ticket's hub reference, when the message carries it.</param>
/// <param name="Reason">The last failure, as the exception said it.</param>
/// <param name="Attempts">Deliveries tried, redeliveries included.</param>
public sealed record MessageDeadLettered(
    Guid DeadLetterId,
    string Service,
    string Queue,
    Guid MessageId,
    string MessageType,
    Guid? TicketId,
    string? Reference,
    string Reason,
    int Attempts,
    DateTimeOffset FirstFailedAt,
    DateTimeOffset LastFailedAt);

/// <summary>
/// Published by intake when an administrator replays a dead letter after a fix: the service named
/// <paramref name="Service"/> sends its stored copy back to the queue it came from.
/// </summary>
public sealed record DeadLetterReplayRequested(Guid DeadLetterId, string Service, string RequestedBy, DateTimeOffset RequestedAt);

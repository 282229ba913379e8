using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Shared.Delivery;

/// <summary>
/// No way to reach the tool: each ticket, comment and note of the hub becomes an item of intake's
/// relay queue (<c>/api/v1/relay</c>); an operator enters it in the tool and confirms. The ticket is
/// forwarded when the confirmation brings the tool's number (<see cref="RelayItemAcknowledged"/>).
/// </summary>
internal sealed class ManualDelivery(IOutbox outbox, TicketText text, ToolDescriptor tool, TimeProvider clock) : ITicketDelivery
{
    public Task<DeliveryOutcome> DeliverAsync(TicketRouted routed, ForwardingAttempt attempt, CancellationToken cancellationToken) =>
        Task.FromResult<DeliveryOutcome>(new DeliveryOutcome.Relay(new RelayItemRequested(
            StableIds.Of(tool.Tool, RelayItemKinds.Ticket, routed.TicketId.ToString("D")),
            routed.TicketId,
            routed.Reference,
            tool.Tool,
            RelayItemKinds.Ticket,
            text.QueueOf(routed),
            TicketText.Subject(routed.Reference, routed.Ticket.Title),
            text.Body(routed),
            null,
            clock.GetUtcNow())));

    public Task AddCommentAsync(TicketCommentAdded comment, string externalId, CancellationToken cancellationToken) =>
        EnqueueNoteAsync(comment.CommentId, comment.TicketId, comment.Reference, externalId,
            $"[{comment.Reference}] {CommentHeading.Subject(comment)}", text.CommentBody(comment, externalId), cancellationToken);

    /// <summary>A relay item naming the tool's number and what to do with that ticket (« [TH-…] Demande réorientée : ticket 2026-004567 à clore »).</summary>
    public Task AddNoteAsync(HubNote note, string externalId, CancellationToken cancellationToken) =>
        EnqueueNoteAsync(note.Id, note.TicketId, note.Reference, externalId,
            $"[{note.Reference}] {note.Subject} : ticket {externalId} {note.Ask}", note.Text, cancellationToken);

    /// <summary>Queues, for the operator, something to write in the tool's ticket <paramref name="externalId"/>.</summary>
    private Task EnqueueNoteAsync(Guid itemId, Guid ticketId, string reference, string externalId, string subject, string body, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync(new RelayItemRequested(
            itemId, ticketId, reference, tool.Tool, RelayItemKinds.Comment, null, subject, body, externalId, clock.GetUtcNow()), cancellationToken);
}

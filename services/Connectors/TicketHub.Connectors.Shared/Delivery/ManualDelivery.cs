using System.Data.Common;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Shared.Delivery;

/// <summary>
/// No way to reach the tool: each ticket, comment and re-route note becomes an item of intake's
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

    public Task AddCommentAsync(DbTransaction transaction, TicketCommentAdded comment, string externalId, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync(transaction, new RelayItemRequested(
            comment.CommentId,
            comment.TicketId,
            comment.Reference,
            tool.Tool,
            RelayItemKinds.Comment,
            null,
            $"[{comment.Reference}] Complément du collège",
            text.CommentBody(comment, externalId),
            externalId,
            clock.GetUtcNow()), cancellationToken);

    public Task NotifyMovedAsync(DbTransaction transaction, TicketRerouted rerouted, string externalId, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync(transaction, new RelayItemRequested(
            StableIds.Of(tool.Tool, "moved", rerouted.TicketId.ToString("D"), rerouted.ReroutedAt.ToString("O")),
            rerouted.TicketId,
            rerouted.Reference,
            tool.Tool,
            RelayItemKinds.Comment,
            null,
            $"[{rerouted.Reference}] Demande réorientée : ticket {externalId} à clore",
            TicketText.MovedAwayBody(rerouted),
            externalId,
            clock.GetUtcNow()), cancellationToken);
}

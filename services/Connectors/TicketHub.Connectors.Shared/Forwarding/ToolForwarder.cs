using TicketHub.Connectors.Shared.Attachments;
using TicketHub.Connectors.Shared.Delivery;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Forwarding;

/// <summary>
/// Delivers a routed ticket to the tool exactly once, whatever the redeliveries, timeouts and
/// crashes; the same protocol for every tool (GLPI, iTop, PASS, Omère), which plugs in its
/// <see cref="ITicketDelivery"/>:
/// <list type="number">
/// <item>commit the intent (a ticket already delivered, or waiting in the relay queue, is left alone;
/// one routed back by hand to the tool that holds it is reclaimed, with a note to the tool);</item>
/// <item>deliver, which looks the reference up first after an uncertain attempt;</item>
/// <item>commit the outcome together with the event that announces it (TicketForwarded,
/// TicketForwardingFailed or RelayItemRequested) in the outbox, and where the tool's sync starts;</item>
/// <item>add the collège's files to the tool's ticket, each once, for the tools that take them
/// (GLPI, iTop: ADR 11); a redelivered message adds those still missing.</item>
/// </list>
/// </summary>
internal sealed partial class ToolForwarder(
    DeliveryLedger ledger,
    ISyncStart sync,
    ITicketDelivery delivery,
    IEnumerable<DocumentSender> documents,
    ToolDescriptor tool,
    TimeProvider clock,
    ILogger<ToolForwarder> logger)
{
    public async Task ForwardAsync(TicketRouted routed, CancellationToken cancellationToken)
    {
        if (await HandOverAsync(routed, cancellationToken) is { } externalId)
        {
            foreach (var sender in documents)
            {
                await sender.SendAsync(DocumentTarget.Of(routed, externalId), routed.Ticket.Attachments, cancellationToken);
            }
        }
    }

    /// <summary>Hands the ticket over once; the tool's id of the ticket the hub holds, or null (refused, or waiting for an operator).</summary>
    private async Task<string?> HandOverAsync(TicketRouted routed, CancellationToken cancellationToken)
    {
        var attempt = await ledger.BeginAttemptAsync(routed.TicketId, routed.Reference, cancellationToken);
        if (attempt.State == ExternalTicketState.Created)
        {
            if (routed.Route.Rule == TicketRerouted.ManualRule)
            {
                await ReclaimAsync(routed, attempt, cancellationToken);
                return attempt.ExternalId;
            }

            LogAlreadyDelivered(tool.DisplayName, routed.Reference, attempt.ExternalId);
            return attempt.ExternalId;
        }

        if (attempt.State == ExternalTicketState.Relaying)
        {
            LogAlreadyRelaying(tool.DisplayName, routed.Reference);
            return null;
        }

        switch (await delivery.DeliverAsync(routed, attempt, cancellationToken))
        {
            case DeliveryOutcome.Created created:
                await ledger.MarkCreatedAsync(
                    new TicketForwarded(routed.TicketId, routed.Reference, tool.Tool, created.ExternalId, created.Url, clock.GetUtcNow()),
                    () => sync.StartAsync(routed.TicketId, created, cancellationToken),
                    cancellationToken);
                return created.ExternalId;
            case DeliveryOutcome.Refused refused:
                await ledger.MarkFailedAsync(
                    new TicketForwardingFailed(routed.TicketId, routed.Reference, tool.Tool, refused.Reason, clock.GetUtcNow()),
                    cancellationToken);
                return null;
            case DeliveryOutcome.Relay relay:
                await ledger.MarkRelayingAsync(relay.Request, cancellationToken);
                LogRelaying(tool.DisplayName, routed.Reference);
                return null;
            default:
                throw new InvalidOperationException($"Unknown delivery outcome for {routed.Reference}.");
        }
    }

    /// <summary>
    /// Routed back by hand to the tool that holds the ticket: no second ticket; the tool's ticket is
    /// told, if it had been told the request went elsewhere, and intake learns it is forwarded there again.
    /// </summary>
    private async Task ReclaimAsync(TicketRouted routed, ForwardingAttempt attempt, CancellationToken cancellationToken)
    {
        var externalId = attempt.ExternalId!;
        var wasMoved = await ledger.WasMovedAwayAsync(routed.TicketId, cancellationToken);
        using var hold = wasMoved ? await delivery.HoldWritesAsync(cancellationToken) : null;
        await ledger.ReclaimAsync(
            new TicketForwarded(routed.TicketId, routed.Reference, tool.Tool, externalId, attempt.ExternalUrl, clock.GetUtcNow()),
            wasMoved ? () => delivery.AddNoteAsync(ToolNotes.SentBack(routed, tool), externalId, cancellationToken) : null,
            cancellationToken);
        LogReclaimed(tool.DisplayName, routed.Reference, externalId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} already delivered to {Tool} as {ExternalId}; nothing to do")]
    private partial void LogAlreadyDelivered(string tool, string reference, string? externalId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} already waits in {Tool}'s relay queue; nothing to do")]
    private partial void LogAlreadyRelaying(string tool, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} put in {Tool}'s relay queue for an operator")]
    private partial void LogRelaying(string tool, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {Reference} routed back to {Tool} by hand: {ExternalId} is the hub's again")]
    private partial void LogReclaimed(string tool, string reference, string? externalId);
}

using TicketHub.Connectors.Shared.Delivery;
using TicketHub.Connectors.Shared.Sync;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Shared.Forwarding;

/// <summary>
/// Delivers a routed ticket to the tool exactly once, whatever the redeliveries, timeouts and
/// crashes:
/// <list type="number">
/// <item>commit the intent (a ticket already delivered, or waiting in the relay queue, is left alone);</item>
/// <item>deliver by the configured mode, which looks the reference up first after an uncertain attempt;</item>
/// <item>commit the outcome together with the event that announces it (TicketForwarded,
/// TicketForwardingFailed or RelayItemRequested) in the outbox.</item>
/// </list>
/// </summary>
internal sealed partial class ToolForwarder(
    DeliveryLedger ledger,
    ToolSyncStore sync,
    ITicketDelivery delivery,
    ToolDescriptor tool,
    TimeProvider clock,
    ILogger<ToolForwarder> logger)
{
    public async Task ForwardAsync(TicketRouted routed, CancellationToken cancellationToken)
    {
        var attempt = await ledger.BeginAttemptAsync(routed.TicketId, routed.Reference, cancellationToken);
        if (attempt.State == ExternalTicketState.Created)
        {
            if (routed.Route.Rule == TicketRerouted.ManualRule)
            {
                // Routed back by hand to the tool that holds the ticket: no second ticket; intake
                // learns it is forwarded there again.
                await ledger.ReclaimAsync(
                    new TicketForwarded(routed.TicketId, routed.Reference, tool.Tool, attempt.ExternalId!, attempt.ExternalUrl, clock.GetUtcNow()),
                    null,
                    cancellationToken);
                LogReclaimed(tool.DisplayName, routed.Reference, attempt.ExternalId);
                return;
            }

            LogAlreadyDelivered(tool.DisplayName, routed.Reference, attempt.ExternalId);
            return;
        }

        if (attempt.State == ExternalTicketState.Relaying)
        {
            LogAlreadyRelaying(tool.DisplayName, routed.Reference);
            return;
        }

        switch (await delivery.DeliverAsync(routed, attempt, cancellationToken))
        {
            case DeliveryOutcome.Created created:
                await ledger.MarkCreatedAsync(
                    new TicketForwarded(routed.TicketId, routed.Reference, tool.Tool, created.ExternalId, created.Url, clock.GetUtcNow()),
                    transaction => sync.StartAsync(transaction, routed.TicketId, created.ToolStatus, created.ToolUpdatedAt, cancellationToken),
                    cancellationToken);
                break;
            case DeliveryOutcome.Refused refused:
                await ledger.MarkFailedAsync(
                    new TicketForwardingFailed(routed.TicketId, routed.Reference, tool.Tool, refused.Reason, clock.GetUtcNow()),
                    cancellationToken);
                break;
            case DeliveryOutcome.Relay relay:
                await ledger.MarkRelayingAsync(relay.Request, cancellationToken);
                LogRelaying(tool.DisplayName, routed.Reference);
                break;
        }
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

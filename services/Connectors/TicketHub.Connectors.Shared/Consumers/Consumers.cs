using MassTransit;
using TicketHub.Connectors.Shared.Delivery;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Shared.Consumers;

/// <summary>Delivers to the tool the tickets routed to it; every other route is someone else's.</summary>
internal sealed class TicketRoutedConsumer(ToolForwarder forwarder, ToolDescriptor tool) : IConsumer<TicketRouted>
{
    public Task Consume(ConsumeContext<TicketRouted> context) =>
        tool.Is(context.Message.Route.Tool) ? forwarder.ForwardAsync(context.Message, context.CancellationToken) : Task.CompletedTask;
}

/// <summary>
/// An operator entered the ticket in the tool by hand and gave its number: the ticket is forwarded,
/// once, however many times the confirmation arrives.
/// </summary>
internal sealed class RelayItemAcknowledgedConsumer(IInbox inbox, DeliveryLedger ledger, ToolDescriptor tool, TimeProvider clock)
    : IConsumer<RelayItemAcknowledged>
{
    public Task Consume(ConsumeContext<RelayItemAcknowledged> context)
    {
        var ack = context.Message;
        if (!tool.Is(ack.Tool) || ack.Kind != RelayItemKinds.Ticket || string.IsNullOrWhiteSpace(ack.ExternalId))
        {
            return Task.CompletedTask;
        }

        return inbox.ProcessOnceAsync<RelayItemAcknowledgedConsumer>(context, () => ledger.MarkCreatedAsync(
            new TicketForwarded(ack.TicketId, ack.Reference, tool.Tool, ack.ExternalId, null, clock.GetUtcNow()),
            startSync: null,
            context.CancellationToken));
    }
}

/// <summary>Adds a collège's comment to the tool's ticket, once; comments for other tools are someone else's.</summary>
internal sealed class TicketCommentAddedConsumer(IInbox inbox, DeliveryLedger ledger, ITicketDelivery delivery, ToolDescriptor tool)
    : IConsumer<TicketCommentAdded>
{
    public Task Consume(ConsumeContext<TicketCommentAdded> context)
    {
        var comment = context.Message;
        if (!tool.Is(comment.Tool))
        {
            return Task.CompletedTask;
        }

        return AddAsync(context, comment);
    }

    private async Task AddAsync(ConsumeContext<TicketCommentAdded> context, TicketCommentAdded comment)
    {
        using var hold = await delivery.HoldWritesAsync(context.CancellationToken);
        await inbox.ProcessOnceAsync<TicketCommentAddedConsumer>(context, async () =>
        {
            // Not held yet (the comment overtook the ticket's creation) or no longer: retried, then a
            // dead letter an administrator sees; never dropped.
            var ticket = await ledger.FindAsync(comment.TicketId, context.CancellationToken);
            if (ticket?.HeldId is not { } externalId)
            {
                throw new InvalidOperationException($"Ticket {comment.Reference} is not (or no longer) held by {tool.DisplayName}: the comment cannot be added there.");
            }

            await delivery.AddCommentAsync(comment, externalId, context.CancellationToken);
        });
    }
}

/// <summary>Tells the tool's ticket that the hub sent the request elsewhere, once.</summary>
internal sealed class TicketReroutedConsumer(IInbox inbox, DeliveryLedger ledger, ITicketDelivery delivery, ToolDescriptor tool)
    : IConsumer<TicketRerouted>
{
    public Task Consume(ConsumeContext<TicketRerouted> context)
    {
        var rerouted = context.Message;
        if (!tool.Is(rerouted.PreviousExternal?.Tool) || tool.Keeps(rerouted))
        {
            return Task.CompletedTask;
        }

        return NotifyAsync(context, rerouted);
    }

    private async Task NotifyAsync(ConsumeContext<TicketRerouted> context, TicketRerouted rerouted)
    {
        using var hold = await delivery.HoldWritesAsync(context.CancellationToken);
        await inbox.ProcessOnceAsync<TicketReroutedConsumer>(context, async () =>
        {
            var ticket = await ledger.FindAsync(rerouted.TicketId, context.CancellationToken);
            if (ticket is { State: ExternalTicketState.Created, ExternalId: { } externalId }
                && await ledger.MarkMovedAsync(rerouted.TicketId, context.CancellationToken))
            {
                await delivery.NotifyMovedAsync(rerouted, externalId, context.CancellationToken);
            }
        });
    }
}

/// <summary>
/// The tool down or slow: the shared policy (ADR 8) retries at once, then redelivers for about 20
/// minutes, then keeps the message as a dead letter (intake shows the ticket failed). Messages of one ticket are handled one at a time, so two
/// deliveries of it cannot both create it.
/// </summary>
internal abstract class ToolConsumerDefinition<TConsumer, TMessage> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer<TMessage>
    where TMessage : class
{
    protected abstract Guid TicketOf(TMessage message);

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
        consumerConfigurator.Message<TMessage>(message => message.UsePartitioner(16, consume => TicketOf(consume.Message)));
    }
}

internal sealed class TicketRoutedConsumerDefinition : ToolConsumerDefinition<TicketRoutedConsumer, TicketRouted>
{
    protected override Guid TicketOf(TicketRouted message) => message.TicketId;
}

internal sealed class RelayItemAcknowledgedConsumerDefinition : ToolConsumerDefinition<RelayItemAcknowledgedConsumer, RelayItemAcknowledged>
{
    protected override Guid TicketOf(RelayItemAcknowledged message) => message.TicketId;
}

internal sealed class TicketCommentAddedConsumerDefinition : ToolConsumerDefinition<TicketCommentAddedConsumer, TicketCommentAdded>
{
    protected override Guid TicketOf(TicketCommentAdded message) => message.TicketId;
}

internal sealed class TicketReroutedConsumerDefinition : ToolConsumerDefinition<TicketReroutedConsumer, TicketRerouted>
{
    protected override Guid TicketOf(TicketRerouted message) => message.TicketId;
}

using MassTransit;
using TicketHub.ServiceDefaults.Messaging;
using TicketHub.Connectors.Itop.Forwarding;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Consumers;

/// <summary>Creates in iTop the tickets routed to it; every other route is someone else's.</summary>
internal sealed class TicketRoutedConsumer(ItopTicketForwarder forwarder) : IConsumer<TicketRouted>
{
    public Task Consume(ConsumeContext<TicketRouted> context) =>
        string.Equals(context.Message.Route.Tool, ExternalTools.Itop, StringComparison.OrdinalIgnoreCase)
            ? forwarder.ForwardAsync(context.Message, context.CancellationToken)
            : Task.CompletedTask;
}

/// <summary>
/// iTop down or slow: retried at once, redelivered for about 20 minutes, then a dead letter (ADR 8).
/// Messages of one ticket are handled one at a time, so two deliveries cannot both create it.
/// </summary>
internal sealed class TicketRoutedConsumerDefinition : ConsumerDefinition<TicketRoutedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TicketRoutedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
        consumerConfigurator.Message<TicketRouted>(message => message.UsePartitioner(16, consume => consume.Message.TicketId));
    }
}

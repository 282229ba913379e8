using MassTransit;
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
/// iTop down or slow: retried for about two minutes, then the message goes to the error queue.
/// Messages of one ticket are handled one at a time, so two deliveries cannot both create it.
/// </summary>
internal sealed class TicketRoutedConsumerDefinition : ConsumerDefinition<TicketRoutedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TicketRoutedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(
            TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(5),
            TimeSpan.FromSeconds(15),
            TimeSpan.FromSeconds(30),
            TimeSpan.FromSeconds(60)));
        consumerConfigurator.Message<TicketRouted>(message => message.UsePartitioner(16, consume => consume.Message.TicketId));
    }
}

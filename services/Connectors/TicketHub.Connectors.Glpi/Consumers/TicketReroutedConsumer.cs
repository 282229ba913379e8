using MassTransit;
using TicketHub.Connectors.Glpi.Forwarding;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Glpi.Consumers;

/// <summary>Tells a GLPI ticket that the hub sent its request elsewhere.</summary>
internal sealed class TicketReroutedConsumer(IInbox inbox, RerouteNotifier notifier) : IConsumer<TicketRerouted>
{
    public Task Consume(ConsumeContext<TicketRerouted> context) =>
        inbox.ProcessOnceAsync<TicketReroutedConsumer>(context, transaction =>
            notifier.NotifyAsync(transaction, context.Message, context.CancellationToken));
}

internal sealed class TicketReroutedConsumerDefinition : ConsumerDefinition<TicketReroutedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TicketReroutedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}

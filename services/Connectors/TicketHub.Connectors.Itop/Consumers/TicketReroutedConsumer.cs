using MassTransit;
using TicketHub.Connectors.Itop.Forwarding;
using TicketHub.Connectors.Itop.PublicLog;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Itop.Consumers;

/// <summary>Tells an iTop request that the hub sent its ticket elsewhere.</summary>
internal sealed class TicketReroutedConsumer(IInbox inbox, RerouteNotifier notifier, PublicLogGate gate) : IConsumer<TicketRerouted>
{
    public async Task Consume(ConsumeContext<TicketRerouted> context)
    {
        using (await gate.EnterAsync(context.CancellationToken))
        {
            await inbox.ProcessOnceAsync<TicketReroutedConsumer>(context, transaction =>
                notifier.NotifyAsync(transaction, context.Message, context.CancellationToken));
        }
    }
}

internal sealed class TicketReroutedConsumerDefinition : ConsumerDefinition<TicketReroutedConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TicketReroutedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}

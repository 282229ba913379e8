using MassTransit;
using TicketHub.Contracts;
using TicketHub.Intake.Relay;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Consumers;

/// <summary>
/// Queues what a connector in manual mode asks a person to enter in PASS or Omère. Idempotent twice
/// over: by message id (inbox) and by item id (a connector that asks again is still one item).
/// </summary>
public sealed class RelayItemRequestedConsumer(IInbox inbox, RelayStore relay) : IConsumer<RelayItemRequested>
{
    public Task Consume(ConsumeContext<RelayItemRequested> context) =>
        inbox.ProcessOnceAsync<RelayItemRequestedConsumer>(context, () =>
            relay.AddAsync(context.Message, context.CancellationToken));
}

public sealed class RelayItemRequestedConsumerDefinition : ConsumerDefinition<RelayItemRequestedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RelayItemRequestedConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}

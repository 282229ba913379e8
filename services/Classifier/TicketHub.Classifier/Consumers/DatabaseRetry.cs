using MassTransit;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Classifier.Consumers;

/// <summary>
/// Every consumer of the classifier: they only fail on the database, so the shared policy retries at
/// once first (a lock held for a moment, a concurrent redelivery that committed first), then
/// redelivers after longer delays (the database restarting), and finally keeps the message as a dead
/// letter (ADR 8).
/// </summary>
public class DatabaseRetryDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseTicketHubRetry(consumerConfigurator, context);
}

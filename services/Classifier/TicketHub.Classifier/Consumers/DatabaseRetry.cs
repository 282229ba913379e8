using MassTransit;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Classifier.Consumers;

/// <summary>
/// The classifier's consumers only fail on the database: the shared policy retries at once first (a
/// lock held for a moment, a concurrent redelivery that committed first), then redelivers after
/// longer delays (the database restarting), and finally keeps the message as a dead letter (ADR 8).
/// </summary>
internal static class DatabaseRetry
{
    public static void Configure<TConsumer>(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer, IRegistrationContext context)
        where TConsumer : class
    {
        endpoint.UseTicketHubRetry(consumer, context);
    }
}

using System.Data.Common;
using MassTransit;

namespace TicketHub.Classifier.Consumers;

/// <summary>
/// The classifier's consumers only fail on the database: such faults are retried, at once first (a
/// lock held for a moment, a concurrent redelivery that committed first), then spaced out (the
/// database restarting). Anything else is a bug or a bad message and goes to the error queue at once.
/// </summary>
internal static class DatabaseRetry
{
    public static void Configure<TConsumer>(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer)
        where TConsumer : class
    {
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<DbException>();
            retry.Handle<TimeoutException>();
            retry.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
        });
        consumer.UseMessageRetry(retry =>
        {
            retry.Handle<DbException>();
            retry.Handle<TimeoutException>();
            retry.Immediate(3);
        });
    }
}

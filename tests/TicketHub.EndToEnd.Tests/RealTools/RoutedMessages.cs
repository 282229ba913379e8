using System.Collections.Concurrent;
using MassTransit;
using TicketHub.Contracts;
using TicketHub.EndToEnd.Tests.Infrastructure;

namespace TicketHub.RealTools;

/// <summary>A <see cref="TicketRouted"/> as the classifier published it, with its message id.</summary>
public sealed record PublishedRouted(TicketRouted Message, Guid MessageId);

/// <summary>
/// Listens to the classifier's <see cref="TicketRouted"/> on a hub's virtual host, from a queue of the
/// test's own bound like any consumer's, so that a test can hand one to the connector again: the very
/// message (a broker redelivery, an outbox sending twice) or the same ticket under a new message id.
/// </summary>
public sealed class RoutedMessages : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<PublishedRouted>> _routed = new();

    private RoutedMessages(string virtualHost)
    {
        // The services' users may not do this (issue 12): the broker's administrator may.
        var (user, password) = Broker.CreateOperator(virtualHost);
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host("127.0.0.1", (ushort)Broker.Port, virtualHost, host =>
            {
                host.Username(user);
                host.Password(password);
            });
            rabbit.ReceiveEndpoint($"test-routed-tap-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<TicketRouted>(context =>
                {
                    Waiting(context.Message.TicketId).TrySetResult(new PublishedRouted(context.Message, context.MessageId!.Value));
                    return Task.CompletedTask;
                });
            });
        });
    }

    /// <summary>Starts listening; only what the classifier publishes afterwards is seen.</summary>
    public static async Task<RoutedMessages> StartAsync(string virtualHost)
    {
        var tap = new RoutedMessages(virtualHost);
        await tap._bus.StartAsync();
        return tap;
    }

    /// <summary>The first <see cref="TicketRouted"/> of ticket <paramref name="ticketId"/>.</summary>
    public Task<PublishedRouted> OfAsync(string ticketId) =>
        Waiting(Guid.Parse(ticketId)).Task.WaitAsync(TimeSpan.FromSeconds(90));

    /// <summary>Sends <paramref name="message"/> under <paramref name="messageId"/> straight into <paramref name="queue"/>.</summary>
    public async Task SendAsync(string queue, TicketRouted message, Guid messageId)
    {
        var endpoint = await _bus.GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(message, context => context.MessageId = messageId);
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();

    private TaskCompletionSource<PublishedRouted> Waiting(Guid ticketId) =>
        _routed.GetOrAdd(ticketId, _ => new TaskCompletionSource<PublishedRouted>(TaskCreationOptions.RunContinuationsAsynchronously));
}

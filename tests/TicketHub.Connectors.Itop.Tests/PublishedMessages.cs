using MassTransit.Testing;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Tests;

/// <summary>What the connector published about one ticket, waited for.</summary>
internal static class PublishedMessages
{
    /// <summary>The first <typeparamref name="T"/> published for <paramref name="ticketId"/>, once there is one.</summary>
    public static async Task<T> PublishedForAsync<T>(this ITestHarness harness, Guid ticketId)
        where T : class
    {
        await Eventually.TrueAsync(() => harness.Published.Select<T>(message => TicketIdOf(message.Context.Message) == ticketId).Any(),
            $"a {typeof(T).Name} for ticket {ticketId}");
        return harness.Published.Select<T>(message => TicketIdOf(message.Context.Message) == ticketId).First().Context.Message;
    }

    private static Guid TicketIdOf(object message) => message switch
    {
        TicketForwarded forwarded => forwarded.TicketId,
        TicketForwardingFailed failed => failed.TicketId,
        _ => Guid.Empty,
    };
}

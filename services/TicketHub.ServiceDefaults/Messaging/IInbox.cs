using MassTransit;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// Idempotent consumers: a message's effects and the record that it was processed commit together,
/// so a redelivered message has no second effect.
/// </summary>
public interface IInbox
{
    /// <summary>
    /// Runs <paramref name="work"/> in one unit of work (<see cref="UnitOfWork"/>) with the inbox
    /// record of this message for <typeparamref name="TConsumer"/>; does nothing when that message was
    /// already processed. The stores and the outbox that <paramref name="work"/> calls write in that
    /// unit of work; its outbox messages are published after the commit.
    /// </summary>
    /// <returns>False when the message had already been processed.</returns>
    Task<bool> ProcessOnceAsync<TConsumer>(ConsumeContext context, Func<Task> work);
}

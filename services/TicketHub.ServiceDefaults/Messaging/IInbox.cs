using System.Data.Common;
using MassTransit;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// Idempotent consumers: a message's effects and the record that it was processed commit together,
/// so a redelivered message has no second effect.
/// </summary>
public interface IInbox
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction with the inbox record of this message for
    /// <typeparamref name="TConsumer"/>; does nothing when that message was already processed.
    /// Outbox messages written by <paramref name="work"/> are published after the commit.
    /// </summary>
    /// <returns>False when the message had already been processed.</returns>
    Task<bool> ProcessOnceAsync<TConsumer>(ConsumeContext context, Func<DbTransaction, Task> work);
}

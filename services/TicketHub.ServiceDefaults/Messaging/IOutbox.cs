using System.Data.Common;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// Transactional outbox: a message is written in the same transaction as the state change it
/// announces, and a relay publishes it once the transaction has committed. The broker being down
/// delays the message; it never loses it.
/// </summary>
public interface IOutbox
{
    /// <summary>Writes <paramref name="message"/> in <paramref name="transaction"/>; returns its message id.</summary>
    Task<Guid> EnqueueAsync<T>(DbTransaction transaction, T message, CancellationToken cancellationToken)
        where T : class;

    /// <summary>Call after commit so that the relay publishes at once rather than at its next poll.</summary>
    void NotifyCommitted();
}

using TicketHub.ServiceDefaults.Data;

namespace TicketHub.ServiceDefaults.Messaging;

/// <summary>
/// Transactional outbox: a message is written in the same transaction as the state change it
/// announces, and a relay publishes it once the transaction has committed. The broker being down
/// delays the message; it never loses it.
/// </summary>
public interface IOutbox
{
    /// <summary>
    /// Writes <paramref name="message"/> in the unit of work in progress (<see cref="UnitOfWork"/>);
    /// the relay publishes it as soon as that unit commits. Returns its message id.
    /// </summary>
    Task<Guid> EnqueueAsync<T>(T message, CancellationToken cancellationToken)
        where T : class;
}

using System.Data.Common;

namespace TicketHub.ServiceDefaults.Data;

public interface IDbConnectionFactory
{
    SqlDialect Dialect { get; }

    /// <summary>Opens a new connection; the caller disposes it.</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}

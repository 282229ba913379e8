using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>One replica of a connector, as far as its database goes (<see cref="ReplicaHost"/>), and its ledger.</summary>
internal static class Replica
{
    /// <summary>A replica with the connectors' common migrations (the ledger's tables).</summary>
    public static Task<IHost> StartAsync(TestDatabase database) => ReplicaHost.StartAsync(database, typeof(DeliveryLedger).Assembly);

    /// <summary>The replica's ledger, reading time from <paramref name="clock"/> (the system's by default).</summary>
    public static DeliveryLedger Ledger(IHost replica, TimeProvider? clock = null) => new(
        replica.Services.GetRequiredService<IDbConnectionFactory>(),
        replica.Services.GetRequiredService<UnitOfWork>(),
        replica.Services.GetRequiredService<IOutbox>(),
        replica.Services.GetRequiredService<DatabaseLeases>(),
        clock ?? TimeProvider.System);
}

using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Shared.Tests;

/// <summary>
/// One replica of a connector, as far as its database goes: a host with the connectors' common
/// migrations, its own <see cref="DatabaseLeases"/> (its own holder), the outbox, and MassTransit's
/// in-memory harness in place of the broker.
/// </summary>
internal static class Replica
{
    public static async Task<IHost> StartAsync(TestDatabase database)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "TicketHub.Connector", EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(database.Settings.Concat(new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = "unused",
            ["RabbitMq:Username"] = "unused",
            ["RabbitMq:Password"] = "unused",
        }));
        builder.AddTicketHubDatabase(typeof(DeliveryLedger).Assembly);
        builder.AddTicketHubBus(_ => { });
        builder.Services.AddMassTransitTestHarness();
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<DatabaseState>().WaitUntilReadyAsync(CancellationToken.None);
        return host;
    }

    /// <summary>The replica's ledger, reading time from <paramref name="clock"/> (the system's by default).</summary>
    public static DeliveryLedger Ledger(IHost replica, TimeProvider? clock = null) => new(
        replica.Services.GetRequiredService<IDbConnectionFactory>(),
        replica.Services.GetRequiredService<IOutbox>(),
        replica.Services.GetRequiredService<DatabaseLeases>(),
        clock ?? TimeProvider.System);
}

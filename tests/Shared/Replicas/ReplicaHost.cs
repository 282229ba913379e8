using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Testing;

/// <summary>
/// One replica of a service as far as its database goes (issue 13): a host on <see cref="TestDatabase"/>
/// with the migrations of <c>migrations</c> and ServiceDefaults', its own <see cref="DatabaseLeases"/>
/// (its own holder), the outbox and its relay, the consumers <c>bus</c> registers, and MassTransit's
/// in-memory harness in place of the broker.
/// Started and migrated when returned.
/// </summary>
internal static class ReplicaHost
{
    public static async Task<IHost> StartAsync(TestDatabase database, Assembly migrations, IReadOnlyDictionary<string, string?>? settings = null, Action<IBusRegistrationConfigurator>? bus = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "TicketHub.Replica", EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(database.Settings
            .Concat(new Dictionary<string, string?>
            {
                ["RabbitMq:Host"] = "unused",
                ["RabbitMq:Username"] = "unused",
                ["RabbitMq:Password"] = "unused",
            })
            .Concat(settings ?? new Dictionary<string, string?>()));
        builder.AddTicketHubDatabase(migrations);
        builder.AddTicketHubBus(bus ?? (_ => { }));
        builder.Services.AddMassTransitTestHarness(harness => harness.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(1)));
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<DatabaseState>().WaitUntilReadyAsync(CancellationToken.None);
        return host;
    }
}

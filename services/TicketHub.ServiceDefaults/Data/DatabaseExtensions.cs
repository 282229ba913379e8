using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.ServiceDefaults.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the connection factory, the migrations of <paramref name="migrationsAssembly"/>
    /// (applied at start, before the bus), the database readiness check, the outbox and the inbox, the
    /// leases (<see cref="DatabaseLeases"/>). Call before <c>AddTicketHubBus</c>.
    /// </summary>
    public static IHostApplicationBuilder AddTicketHubDatabase(this IHostApplicationBuilder builder, Assembly migrationsAssembly)
    {
        builder.AddDatabase([typeof(DatabaseExtensions).Assembly, migrationsAssembly]);
        builder.Services.AddSingleton<DatabaseLeases>();
        builder.Services.AddSingleton<DatabaseMutex>();
        builder.Services.AddTicketHubOutbox();
        return builder;
    }

    /// <summary>
    /// The database of a service without a bus (the gateway): the connection factory, the
    /// migrations of <paramref name="migrationsAssembly"/> only (no outbox or inbox tables) and the
    /// readiness check.
    /// </summary>
    public static IHostApplicationBuilder AddTicketHubDatabaseWithoutMessaging(this IHostApplicationBuilder builder, Assembly migrationsAssembly) =>
        builder.AddDatabase([migrationsAssembly]);

    private static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder, IReadOnlyList<Assembly> migrationAssemblies)
    {
        DapperTypeHandlers.Register();
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IDbConnectionFactory, DbConnectionFactory>();
        builder.Services.AddSingleton<DatabaseState>();
        builder.Services.AddSingleton<UnitOfWork>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new MigrationAssemblies(migrationAssemblies));
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }
}

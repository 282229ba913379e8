using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.ServiceDefaults.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the connection factory, the migrations of <paramref name="migrationsAssembly"/>
    /// (applied at start, before the bus), the database readiness check, the outbox and the inbox.
    /// Call before <c>AddTicketHubBus</c>.
    /// </summary>
    public static IHostApplicationBuilder AddTicketHubDatabase(this IHostApplicationBuilder builder, Assembly migrationsAssembly)
    {
        DapperTypeHandlers.Register();
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IDbConnectionFactory, DbConnectionFactory>();
        builder.Services.AddSingleton<DatabaseState>();
        builder.Services.AddSingleton(new MigrationAssemblies([typeof(DatabaseExtensions).Assembly, migrationsAssembly]));
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.Services.AddTicketHubOutbox();
        return builder;
    }
}

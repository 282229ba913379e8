using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TicketHub.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ. Queues are named by the kebab-case formatter with the service's
    /// prefix (<c>intake-ticket-routed</c>, <c>connectors-glpi-ticket-routed</c>) so that two
    /// services consuming the same event each get their own copy. The service starts even when the
    /// broker is down; <c>/health/ready</c> says so until it connects, and lists each receive
    /// endpoint. A supervisor watches the endpoints and restarts what MassTransit gave up on while
    /// the broker answers; <c>/health/live</c> fails if that does not help (ADR 12).
    /// </summary>
    public static IHostApplicationBuilder AddTicketHubBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        builder.Services.AddOptions<RabbitMqOptions>()
            .BindConfiguration(RabbitMqOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var prefix = EndpointPrefix(builder.Environment.ApplicationName);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(prefix, false));
            // MassTransit 8.4+ reports anonymous usage to masstransit.io by default: a public body's
            // hub sends nothing to a third party it has not chosen (and the servers have no internet).
            bus.ConfigureUsageTelemetryOptions(telemetry => telemetry.Enabled = false);
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "broker";
                health.MinimalFailureStatus = HealthStatus.Unhealthy;
                health.Tags.Add("ready");
            });
            configure?.Invoke(bus);
            bus.AddConsumer<DeadLetterReplayConsumer>();
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit
                    && context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QuorumQueues)
                {
                    rabbit.SetQuorumQueue();
                }
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                rabbit.Host(options.Host, (ushort)options.Port, options.VirtualHost, host =>
                {
                    host.Username(options.Username);
                    host.Password(options.Password);
                    // A broker that stops answering on an open connection is only noticed by heartbeats (ADR 12).
                    host.Heartbeat(options.Heartbeat);
                    if (options.ClusterNodes.Length > 0)
                    {
                        host.UseCluster(cluster =>
                        {
                            foreach (var node in options.ClusterNodes)
                            {
                                cluster.Node(node);
                            }
                        });
                    }
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddBusSupervision();
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = false;
            host.StopTimeout = TimeSpan.FromSeconds(15);
        });
        return builder;
    }

    private static void AddBusSupervision(this IServiceCollection services)
    {
        services.AddOptions<BusSupervisionOptions>()
            .BindConfiguration(BusSupervisionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ReceiveEndpointStates>();
        services.AddReceiveEndpointObserver(provider => provider.GetRequiredService<ReceiveEndpointStates>());
        services.AddBusObserver(provider => provider.GetRequiredService<ReceiveEndpointStates>());
        services.AddSingleton<BusSupervisor>();
        services.AddHostedService(provider => provider.GetRequiredService<BusSupervisor>());
        services.AddHealthChecks()
            .AddCheck<ReceiveEndpointsHealthCheck>("receive-endpoints", tags: ["ready"])
            .AddCheck<BusLivenessHealthCheck>("bus-consuming", tags: ["live"]);
    }

    internal static IServiceCollection AddTicketHubOutbox(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IOutbox, Outbox>();
        services.AddSingleton<IInbox, Inbox>();
        services.AddHostedService<OutboxRelay>();
        services.AddOptions<RedeliveryOptions>().BindConfiguration(RedeliveryOptions.SectionName);
        services.AddSingleton<RedeliveryStore>();
        services.AddHostedService<RedeliveryRelay>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary><c>TicketHub.Connectors.Glpi</c> → <c>connectors-glpi</c>.</summary>
    public static string EndpointPrefix(string applicationName)
    {
        var name = applicationName.StartsWith("TicketHub.", StringComparison.Ordinal)
            ? applicationName["TicketHub.".Length..]
            : applicationName;
        return name.Replace('.', '-').ToLowerInvariant();
    }
}

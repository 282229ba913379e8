using MassTransit;
using Microsoft.Extensions.Options;
using TicketHub.Connectors.Shared.Api;
using TicketHub.Connectors.Shared.Consumers;
using TicketHub.Connectors.Shared.Delivery;
using TicketHub.Connectors.Shared.Forwarding;
using TicketHub.Connectors.Shared.Sync;
using TicketHub.Connectors.Shared.Tool;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Connectors.Shared;

public static class ToolConnectorExtensions
{
    /// <summary>
    /// The composition root of a connector for a tool without a public API: the delivery mode
    /// chosen by <c>{Section}:Delivery</c>, the shared pipeline (<see cref="AddConnectorPipeline{TDelivery}"/>),
    /// the http mode's sync, and the relay confirmations of the manual mode.
    /// </summary>
    public static IHostApplicationBuilder AddToolConnector(this IHostApplicationBuilder builder, ToolDescriptor tool)
    {
        builder.AddTicketHubDatabase(typeof(ToolConnectorExtensions).Assembly);
        builder.Services.AddOptions<ToolOptions>().BindConfiguration(tool.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ToolOptions>, ToolOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<ConnectorOptions>, CloseDuplicatesNeedsAnApiValidator>();

        builder.Services.AddSingleton<TicketText>();
        builder.Services.AddSingleton<ToolSyncStore>();
        builder.Services.AddSingleton<ISyncStart>(provider => provider.GetRequiredService<ToolSyncStore>());
        builder.Services.AddSingleton<KnownMessages>();
        builder.Services.AddSingleton<SyncCursor>();
        builder.Services.AddToolClient();
        builder.Services.AddScoped<HttpDelivery>();
        builder.Services.AddScoped<EmailDelivery>();
        builder.Services.AddScoped<ManualDelivery>();
        builder.Services.AddConnectorPipeline(tool, provider =>
        {
            var options = provider.GetRequiredService<IOptions<ToolOptions>>().Value;
            return options.IsHttp ? provider.GetRequiredService<HttpDelivery>()
                : options.IsEmail ? provider.GetRequiredService<EmailDelivery>()
                : provider.GetRequiredService<ManualDelivery>();
        });
        builder.Services.AddSingleton<ToolSync>();
        builder.Services.AddHostedService<ToolSyncService>();

        builder.AddTicketHubBus(bus =>
        {
            bus.AddToolConsumers();
            bus.AddConsumer<RelayItemAcknowledgedConsumer, RelayItemAcknowledgedConsumerDefinition>();
        });
        return builder;
    }

    /// <summary>
    /// The pipeline every connector shares (ADR 9): the ledger that makes delivery idempotent and the
    /// forwarder that runs its protocol over the tool's <typeparamref name="TDelivery"/>. The tool also
    /// registers its <see cref="ISyncStart"/>, and <see cref="Attachments.AttachmentSourceExtensions.AddAttachmentDocuments{TTool}"/>
    /// when it takes the collège's files; its bus adds <see cref="AddToolConsumers"/>.
    /// </summary>
    public static IServiceCollection AddConnectorPipeline<TDelivery>(this IServiceCollection services, ToolDescriptor tool)
        where TDelivery : class, ITicketDelivery
    {
        services.AddScoped<TDelivery>();
        return services.AddConnectorPipeline(tool, provider => provider.GetRequiredService<TDelivery>());
    }

    private static IServiceCollection AddConnectorPipeline(this IServiceCollection services, ToolDescriptor tool, Func<IServiceProvider, ITicketDelivery> delivery)
    {
        services.AddSingleton(tool);
        services.AddOptions<ConnectorOptions>().BindConfiguration(tool.SectionName).ValidateOnStart();
        services.AddSingleton<DeliveryLedger>();
        services.AddScoped(delivery);
        services.AddScoped<ToolForwarder>();
        return services;
    }

    /// <summary>
    /// The consumers of the shared pipeline: routed tickets, the collège's comments, re-routes,
    /// duplicates; each with the shared retry policy and one message of a ticket at a time.
    /// </summary>
    public static IBusRegistrationConfigurator AddToolConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<TicketRoutedConsumer, TicketRoutedConsumerDefinition>();
        bus.AddConsumer<TicketCommentAddedConsumer, TicketCommentAddedConsumerDefinition>();
        bus.AddConsumer<TicketReroutedConsumer, TicketReroutedConsumerDefinition>();
        bus.AddConsumer<TicketClosedAsDuplicateConsumer, TicketClosedAsDuplicateConsumerDefinition>();
        return bus;
    }
}

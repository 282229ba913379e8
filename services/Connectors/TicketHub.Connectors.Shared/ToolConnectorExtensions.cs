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
    /// chosen by <c>{Section}:Delivery</c>, the ledger that makes delivery idempotent, the http
    /// mode's sync, and the consumers (routed tickets, relay confirmations, comments, re-routes).
    /// </summary>
    public static IHostApplicationBuilder AddToolConnector(this IHostApplicationBuilder builder, ToolDescriptor tool)
    {
        builder.AddTicketHubDatabase(typeof(ToolConnectorExtensions).Assembly);
        builder.Services.AddSingleton(tool);
        builder.Services.AddOptions<ToolOptions>().BindConfiguration(tool.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ToolOptions>, ToolOptionsValidator>();

        builder.Services.AddSingleton<TicketText>();
        builder.Services.AddSingleton<DeliveryLedger>();
        builder.Services.AddSingleton<ToolSyncStore>();
        builder.Services.AddSingleton<KnownMessages>();
        builder.Services.AddSingleton<SyncCursor>();
        builder.Services.AddToolClient();
        builder.Services.AddScoped<HttpDelivery>();
        builder.Services.AddScoped<EmailDelivery>();
        builder.Services.AddScoped<ManualDelivery>();
        builder.Services.AddScoped<ITicketDelivery>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ToolOptions>>().Value;
            return options.IsHttp ? provider.GetRequiredService<HttpDelivery>()
                : options.IsEmail ? provider.GetRequiredService<EmailDelivery>()
                : provider.GetRequiredService<ManualDelivery>();
        });
        builder.Services.AddScoped<ToolForwarder>();
        builder.Services.AddSingleton<ToolSync>();
        builder.Services.AddHostedService<ToolSyncService>();

        builder.AddTicketHubBus(bus =>
        {
            bus.AddConsumer<TicketRoutedConsumer, TicketRoutedConsumerDefinition>();
            bus.AddConsumer<RelayItemAcknowledgedConsumer, RelayItemAcknowledgedConsumerDefinition>();
            bus.AddConsumer<TicketCommentAddedConsumer, TicketCommentAddedConsumerDefinition>();
            bus.AddConsumer<TicketReroutedConsumer, TicketReroutedConsumerDefinition>();
        });
        return builder;
    }
}

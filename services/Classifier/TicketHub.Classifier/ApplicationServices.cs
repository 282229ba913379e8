using MassTransit;
using TicketHub.Classifier.Consumers;
using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Routing;
using TicketHub.Classifier.Suggestions;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Classifier;

/// <summary>The classifier's composition root.</summary>
public static class ApplicationServices
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RoutingOptions>()
            .BindConfiguration(RoutingOptions.SectionName)
            .Validate(options => !string.IsNullOrWhiteSpace(options.RuleSet),
                "Routing:RuleSet est obligatoire / is required: the département's rule-set file (deploy/rulesets/*.json).")
            .Validate(options => RoutingOptions.IsValidTool(options.InfogerantTool),
                "Routing:InfogerantTool doit valoir 'glpi', 'itop' ou rester vide (le jeu de règles décide) / must be 'glpi', 'itop' or empty.")
            .ValidateOnStart();
        builder.Services.AddOptions<RegistryOptions>()
            .BindConfiguration(RegistryOptions.SectionName);

        builder.Services.AddSingleton<CollegeStore>();
        builder.Services.AddSingleton<RoutingDecisionStore>();
        builder.Services.AddSingleton<RouteAnnouncer>();
        builder.Services.AddSingleton(RuleSetStartup.Load);
        builder.Services.AddSingleton<RoutingPolicy>();
        builder.Services.AddOptions<SuggestionOptions>()
            .BindConfiguration(SuggestionOptions.SectionName)
            .Validate(options => options.TrainingInterval >= TimeSpan.FromMinutes(1),
                "Suggestions:TrainingInterval doit valoir au moins une minute / must be at least one minute.")
            .ValidateOnStart();
        builder.Services.AddSingleton<RoutedHistory>();
        builder.Services.AddSingleton<SuggesterTraining>();
        builder.Services.AddSingleton(_ => new TicketLikeness(LabelledSet.Shipped()));
        builder.Services.AddSingleton<OpenTicketIndex>();

        // Hosted services start in registration order: the rule set, migrations, the seed, then the bus.
        builder.Services.AddHostedService<RuleSetStartup>();
        builder.AddTicketHubDatabase(typeof(Program).Assembly);
        builder.Services.AddHostedService<RegistrySeeder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SuggesterTraining>());
        builder.AddTicketHubBus(bus =>
        {
            bus.AddConsumer<TicketSubmittedConsumer, TicketSubmittedConsumerDefinition>();
            bus.AddConsumer<TicketReroutedConsumer, DatabaseRetryDefinition<TicketReroutedConsumer>>();
            bus.AddConsumer<TicketStatusChangedConsumer, DatabaseRetryDefinition<TicketStatusChangedConsumer>>();
        });
        return builder;
    }
}

using Microsoft.Extensions.Options;

namespace TicketHub.Classifier.Routing;

/// <summary>
/// Loads the rule set named by <c>Routing:RuleSet</c> when the classifier starts, before the
/// migrations and the bus: a bad file stops the start with its line and reason, instead of failing
/// on the first ticket.
/// </summary>
public sealed partial class RuleSetStartup(RoutingPolicy policy, ILogger<RuleSetStartup> logger) : IHostedService
{
    /// <summary>The <see cref="RuleSet"/> singleton's factory.</summary>
    public static RuleSet Load(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<RoutingOptions>>().Value;
        var environment = services.GetRequiredService<IHostEnvironment>();
        var path = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.RuleSet));
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Routing:RuleSet : le fichier '{path}' est introuvable / file not found. Set Routing__RuleSet to the département's rule set (deploy/rulesets/*.json).");
        }

        try
        {
            return RuleSetLoader.Load(path, string.IsNullOrEmpty(options.InfogerantTool) ? null : options.InfogerantTool);
        }
        catch (RuleSetException error)
        {
            var lines = string.Join(Environment.NewLine, error.Message.Split(Environment.NewLine).Select(line => "  " + line));
            throw new InvalidOperationException(
                $"Routing:RuleSet : '{path}' contient des erreurs, le classifieur ne démarre pas / is invalid:{Environment.NewLine}{lines}", error);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var ruleSet = policy.RuleSet;
        LogLoaded(ruleSet.DepartementName, ruleSet.Version, ruleSet.InfogerantTool);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing with the rule set of {Departement}, version {Version} (infogérant tool: {Tool})")]
    private partial void LogLoaded(string departement, string version, string tool);
}

namespace TicketHub.Deploy.Tests;

/// <summary>A service that is deployed: its name in compose and in Kubernetes, and its project folder.</summary>
public sealed record Deployable(string Name, string Project, int Replicas)
{
    /// <summary>Folder = project = assembly (the repository's rule).</summary>
    public string Assembly => Project[(Project.LastIndexOf('/') + 1)..];

    public override string ToString() => Name;
}

internal static class Deployables
{
    /// <summary>
    /// The deployed services. Two replicas of the gateway, intake, the classifier and each connector
    /// (replica-safe on a server database, ADR 16; the replica test runs two of each); one portal: its
    /// antiforgery keys live in memory (deploy/README.md, « Limits »).
    /// </summary>
    public static readonly IReadOnlyList<Deployable> All =
    [
        new("gateway", "gateway/TicketHub.Gateway", 2),
        new("portal", "services/Portal/TicketHub.Portal", 1),
        new("intake", "services/Intake/TicketHub.Intake", 2),
        new("classifier", "services/Classifier/TicketHub.Classifier", 2),
        new("connectors-glpi", "services/Connectors/TicketHub.Connectors.Glpi", 2),
        new("connectors-itop", "services/Connectors/TicketHub.Connectors.Itop", 2),
        new("connectors-pass", "services/Connectors/TicketHub.Connectors.Pass", 2),
        new("connectors-omere", "services/Connectors/TicketHub.Connectors.Omere", 2),
    ];

    /// <summary>Web projects of the solution that are deliberately not deployed, with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotDeployed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["deploy/sandbox/TicketHub.Sandbox"] =
            "emulates GLPI, iTop, PASS and Omère for the quick start (deploy/run.sh); an installation points the connectors at the real tools",
    };

    /// <summary>The projects of the solution that are web applications outside tests/: what could be deployed.</summary>
    public static IReadOnlyList<string> WebProjectsOfTheSolution() =>
        Repository.SolutionProjects()
            .Where(project => !project.StartsWith("tests/", StringComparison.Ordinal))
            .Where(project => Repository.Read(project).Contains("Sdk=\"Microsoft.NET.Sdk.Web\"", StringComparison.Ordinal))
            .Select(project => project[..project.LastIndexOf('/')])
            .ToList();

    public static IEnumerable<TestCaseData> Cases() => All.Select(service => new TestCaseData(service).SetArgDisplayNames(service.Name));
}

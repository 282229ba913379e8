using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TicketHub.Classifier.Registry;
using TicketHub.Classifier.Routing;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Benchmarks;

/// <summary>
/// What the classifier does for each ticket, minus the database: find the collège in an in-memory
/// registry, then apply the Seine-Saint-Denis rule set of deploy/rulesets (rules, flags, explanation).
/// A mix of tickets goes through every rule; the result is per decision, and in decisions per second.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class ClassifierDecisionBenchmark
{
    private const int Tickets = 1024;

    private static readonly DateTimeOffset CreatedAt = new(2025, 3, 10, 9, 30, 0, TimeSpan.FromHours(1));

    private Dictionary<string, College> _registry = null!;
    private TicketDetails[] _tickets = null!;
    private RoutingPolicy _policy = null!;

    [GlobalSetup]
    public void Setup()
    {
        _policy = new RoutingPolicy(RuleSetLoader.Load(RuleSetFile("seine-saint-denis.json")));

        // About the size of Seine-Saint-Denis: 130 collèges, every kind (taken over, planned, not, cité mixte, old).
        _registry = new Dictionary<string, College>(StringComparer.Ordinal);
        for (var i = 0; i < 130; i++)
        {
            var uai = Uai(i);
            DateOnly? reprise = (i % 3) switch { 0 => null, 1 => new DateOnly(2024, 1, 8).AddDays(i), _ => new DateOnly(2026, 1, 5).AddDays(i) };
            _registry[uai] = new College(uai, $"Collège {i}", "Commune", $"UT{(i % 4) + 1}", i % 17 == 0, reprise, 1960 + i % 60);
        }

        var categories = CategoryCodes.All.Order(StringComparer.Ordinal).ToArray();
        var zones = new[] { "ZP", "ZA", null };
        var requester = new Requester("Marie Dupont", "secretariat@college.example", null);
        var random = new Random(93);
        _tickets = new TicketDetails[Tickets];
        for (var i = 0; i < Tickets; i++)
        {
            // One ticket in 50 comes from a collège missing from the registry (rule R0).
            var uai = i % 50 == 0 ? "0939999Z" : Uai(random.Next(130));
            _tickets[i] = new TicketDetails(uai, requester, zones[random.Next(zones.Length)], categories[random.Next(categories.Length)],
                random.Next(4) == 0 ? "request" : "incident", random.Next(20) == 0, "Titre", "Description", "normal", null, null);
        }
    }

    /// <summary>One call routes <see cref="Tickets"/> tickets: the figures are per decision.</summary>
    [Benchmark(OperationsPerInvoke = Tickets)]
    public int LookupAndDecide()
    {
        var length = 0;
        foreach (var ticket in _tickets)
        {
            var college = _registry.GetValueOrDefault(ticket.CollegeUai);
            length += _policy.Decide(ticket, CreatedAt, college).Explanation.Length;
        }

        return length;
    }

    private static string Uai(int i) => "093" + (1000 + i).ToString("D4", CultureInfo.InvariantCulture) + (char)('A' + (i % 26));

    /// <summary>deploy/rulesets/<paramref name="name"/>, found above the folder BenchmarkDotNet runs from.</summary>
    private static string RuleSetFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "deploy", "rulesets", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"deploy/rulesets/{name} not found above {AppContext.BaseDirectory}.");
    }

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(new DecisionsPerSecondColumn());
    }

    /// <summary>1 s divided by the mean time of one decision.</summary>
    private sealed class DecisionsPerSecondColumn : IColumn
    {
        public string Id => nameof(DecisionsPerSecondColumn);

        public string ColumnName => "Decisions/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Decisions per second on one thread (1 s / Mean)";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            summary[benchmarkCase]?.ResultStatistics is { Mean: > 0 } statistics
                ? (1e9 / statistics.Mean).ToString("N0", CultureInfo.InvariantCulture)
                : "-";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace TicketHub.Classifier.Tests.Functional;

/// <summary>Each test starts its own classifier: these are about failing to start.</summary>
public sealed class StartupTests
{
    [Test]
    public async Task Refuses_to_start_naming_Routing_InfogerantTool_when_it_is_neither_glpi_nor_itop()
    {
        await using var factory = new ClassifierFactory(RepoFiles.SeedCsv, new Dictionary<string, string?> { ["Routing:InfogerantTool"] = "jira" });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.That(error!.Message, Does.Contain("Routing:InfogerantTool"));
    }

    [Test]
    public async Task Refuses_to_start_with_a_bad_seed_file_and_imports_none_of_it()
    {
        var seed = Path.GetTempFileName();
        await File.WriteAllTextAsync(seed, """
            uai,name,commune,ut,citeMixte,zaRepriseDate,builtYear
            0931234X,Collège Jean Moulin,Aubervilliers,UT1,false,2024-01-08,1972
            0931235A,Collège Lucie Aubrac,Saint-Denis,UT8,false,,2004
            """);
        try
        {
            await using var factory = new ClassifierFactory(seed);

            var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

            Assert.That(error!.Message, Does.Contain("Registry:SeedFile").And.Contain("ligne 3"));
            Assert.That(CountColleges(factory.DatabasePath), Is.Zero);
        }
        finally
        {
            File.Delete(seed);
        }
    }

    [Test]
    public async Task Refuses_to_start_when_the_seed_file_is_missing()
    {
        await using var factory = new ClassifierFactory("/nonexistent/colleges.csv");

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.That(error!.Message, Does.Contain("Registry:SeedFile").And.Contain("introuvable"));
    }

    [Test]
    public async Task Refuses_to_start_with_a_bad_rule_set_naming_the_file_the_line_and_the_reason()
    {
        var folder = Directory.CreateTempSubdirectory("ruleset-").FullName;
        var file = Path.Combine(folder, "seine-saint-denis.json");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(RepoFiles.SeineSaintDenis))
            .Replace("\"target\": \"omere\",", "\"target\": \"rectorat\",", StringComparison.Ordinal));
        try
        {
            await using var factory = new ClassifierFactory(RepoFiles.SeedCsv, new Dictionary<string, string?> { ["Routing:RuleSet"] = file });

            var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

            Assert.That(error!.Message, Does.Contain("Routing:RuleSet").And.Contain("seine-saint-denis.json ligne 35 : cible inconnue « rectorat »"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task Refuses_to_start_when_the_rule_set_file_is_missing()
    {
        await using var factory = new ClassifierFactory(RepoFiles.SeedCsv, new Dictionary<string, string?> { ["Routing:RuleSet"] = "/nonexistent/rules.json" });

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.That(error!.Message, Does.Contain("Routing:RuleSet").And.Contain("introuvable"));
    }

    [Test]
    public async Task Refuses_to_start_naming_Routing_RuleSet_when_it_is_empty()
    {
        await using var factory = new ClassifierFactory(RepoFiles.SeedCsv, new Dictionary<string, string?> { ["Routing:RuleSet"] = "" });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.That(error!.Message, Does.Contain("Routing:RuleSet"));
    }

    private static long CountColleges(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(1) FROM colleges";
        return (long)command.ExecuteScalar()!;
    }
}

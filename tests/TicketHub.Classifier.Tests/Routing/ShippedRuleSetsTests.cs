using TicketHub.Classifier.Routing;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Tests.Routing;

/// <summary>The rule sets shipped in deploy/rulesets load, and describe the categories intake accepts.</summary>
public sealed class ShippedRuleSetsTests
{
    private static readonly string[] Files = [RepoFiles.SeineSaintDenis, RepoFiles.SansReprise];

    [TestCaseSource(nameof(Files))]
    public void Describes_exactly_the_category_codes_intake_accepts_with_French_labels(string file)
    {
        var ruleSet = RuleSetLoader.Load(file);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ruleSet.Categories.Select(c => c.Code), Is.EquivalentTo(CategoryCodes.All));
            Assert.That(ruleSet.Categories.Select(c => c.Label), Has.All.Not.Empty);
        }
    }

    [Test]
    public void Seine_Saint_Denis_routes_to_GLPI_under_its_version()
    {
        var ruleSet = RuleSetLoader.Load(RepoFiles.SeineSaintDenis);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ruleSet.DepartementName, Is.EqualTo("Seine-Saint-Denis"));
            Assert.That(ruleSet.Version, Is.EqualTo("93-2025.1"));
            Assert.That(ruleSet.InfogerantTool, Is.EqualTo(ExternalTools.Glpi));
            Assert.That(ruleSet.TimeZone.Id, Is.EqualTo("Europe/Paris"));
        }
    }

    [Test]
    public void Marks_only_the_building_category_as_a_building_matter() =>
        Assert.That(RuleSetLoader.Load(RepoFiles.SeineSaintDenis).Categories.Where(c => c.Building).Select(c => c.Code),
            Is.EqualTo(new[] { CategoryCodes.Batiment }));

    [Test]
    public void Gives_the_tool_of_each_target_for_manual_re_routes()
    {
        var ruleSet = RuleSetLoader.Load(RepoFiles.SansReprise);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ruleSet.DefaultTool(RouteTargets.Infogerant), Is.EqualTo(ExternalTools.Itop));
            Assert.That(ruleSet.DefaultTool(RouteTargets.Pass), Is.EqualTo(ExternalTools.Pass));
            Assert.That(ruleSet.DefaultTool(RouteTargets.Omere), Is.EqualTo(ExternalTools.Omere));
            Assert.That(ruleSet.DefaultTool(RouteTargets.Triage), Is.Null);
        }
    }
}

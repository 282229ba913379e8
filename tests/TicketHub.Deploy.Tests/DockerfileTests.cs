using System.Text.RegularExpressions;

namespace TicketHub.Deploy.Tests;

/// <summary>deploy/docker/Dockerfile builds what the compose file and the manifests run (no Docker engine here to build it).</summary>
public sealed class DockerfileTests
{
    [Test]
    public void Every_web_project_of_the_solution_is_deployed_or_left_out_with_a_reason()
    {
        var deployed = Deployables.All.Select(service => service.Project).Concat(Deployables.NotDeployed.Keys);
        Assert.That(Deployables.WebProjectsOfTheSolution(), Is.EquivalentTo(deployed));
    }

    [TestCaseSource(typeof(Deployables), nameof(Deployables.Cases))]
    public void The_project_exists_and_its_assembly_is_named_after_its_folder(Deployable service)
    {
        var project = $"{service.Project}/{service.Assembly}.csproj";
        Assert.That(Repository.Exists(project), project);
        var assemblyName = Regex.Match(Repository.Read(project), "<AssemblyName>(?<name>[^<]+)</AssemblyName>");
        Assert.That(!assemblyName.Success || assemblyName.Groups["name"].Value == service.Assembly, $"{project} renames its assembly");
        Assert.That(Repository.SolutionProjects(), Does.Contain(project));
    }

    [TestCaseSource(typeof(Deployables), nameof(Deployables.Cases))]
    public void The_image_publishes_the_project_given_as_PROJECT_and_runs_its_assembly(Deployable service)
    {
        var run = Dockerfile.Instructions.Value.Single(instruction => instruction.Instruction == "RUN" && instruction.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;
        // The shell steps, as the build runs them for this project.
        var assembly = Regex.Match(run, "assembly=\"\\$\\(basename \"\\$PROJECT\"\\)\"");
        Assert.That(assembly.Success, "the assembly is the project folder's name: assembly=\"$(basename \"$PROJECT\")\"");
        Assert.That(run, Does.Contain("dotnet publish \"$PROJECT/$assembly.csproj\""));
        var entry = Regex.Match(run, @"printf '(?<format>[^']+)' ""\$assembly"" > /app/tickethub-service");
        Assert.That(entry.Success, "the entry script is written from the assembly's name");
        var script = entry.Groups["format"].Value.Replace("%s", service.Assembly, StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
        Assert.That(script, Does.Contain($"exec dotnet /app/{service.Assembly}.dll"));
        Assert.That(Dockerfile.FinalStage().Single(instruction => instruction.Instruction == "ENTRYPOINT").Arguments, Is.EqualTo("[\"/app/tickethub-service\"]"));
    }

    [Test]
    public void The_image_is_built_in_stages_and_runs_on_the_ASP_NET_runtime_as_a_non_root_user_on_port_8080()
    {
        var stages = Dockerfile.Instructions.Value.Where(instruction => instruction.Instruction == "FROM").Select(instruction => instruction.Arguments).ToList();
        Assert.That(stages, Has.Count.GreaterThanOrEqualTo(2));
        Assert.That(stages[^1], Does.StartWith("mcr.microsoft.com/dotnet/aspnet:"));
        Assert.That(stages, Has.Some.StartWith("mcr.microsoft.com/dotnet/sdk:"));
        var final = Dockerfile.FinalStage().ToList();
        Assert.That(final.Where(instruction => instruction.Instruction == "USER").Select(instruction => instruction.Arguments), Is.EqualTo(new[] { "$APP_UID" }));
        Assert.That(final.FindIndex(instruction => instruction.Instruction == "USER"), Is.GreaterThan(final.FindLastIndex(instruction => instruction.Instruction == "RUN")), "nothing runs as root after USER");
        Assert.That(final.Where(instruction => instruction.Instruction == "EXPOSE").Select(instruction => instruction.Arguments), Is.EqualTo(new[] { "8080" }));
        var tag = Dockerfile.Instructions.Value.Single(instruction => instruction.Instruction == "ARG" && instruction.Arguments.StartsWith("DOTNET_TAG=", StringComparison.Ordinal)).Arguments;
        Assert.That(tag, Does.StartWith("DOTNET_TAG=10.0"), "the runtime of global.json's SDK (net10.0)");
    }

    [Test]
    public void Every_path_the_Dockerfile_copies_from_the_repository_exists()
    {
        var copies = Dockerfile.Instructions.Value.Where(instruction => instruction.Instruction == "COPY" && !instruction.Arguments.StartsWith("--from", StringComparison.Ordinal)).ToList();
        Assert.That(copies, Is.Not.Empty);
        var sources = copies.SelectMany(copy => copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1)).Where(source => !source.StartsWith("--", StringComparison.Ordinal)).ToList();
        Assert.That(sources.Where(source => !Repository.Exists(source.TrimEnd('/'))), Is.Empty);
        Assert.That(sources, Does.Contain("deploy/rulesets/"), "the classifier's rule sets");
    }

    [Test]
    public void The_classifier_image_holds_the_rule_sets_its_settings_name()
    {
        var run = Dockerfile.Instructions.Value.Single(instruction => instruction.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;
        Assert.That(run, Does.Contain("if [ \"$assembly\" = \"TicketHub.Classifier\" ]; then cp -r deploy/rulesets /app/rulesets; fi"));
        foreach (var ruleSet in new[] { Compose.Settings("classifier")["Routing:RuleSet"], Kubernetes.Settings("classifier")["Routing:RuleSet"] })
        {
            Assert.That(ruleSet, Does.StartWith("/app/rulesets/"));
            Assert.That(Repository.Exists($"deploy/rulesets/{ruleSet["/app/rulesets/".Length..]}"), ruleSet);
        }
    }

    [Test]
    public void The_build_context_leaves_out_build_outputs_packages_and_local_data_but_not_the_rule_sets()
    {
        var ignored = Repository.Read($"{Dockerfile.Path}.dockerignore").Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
        Assert.That(ignored, Is.SupersetOf(new[] { "**/bin/", "**/obj/", "**/node_modules/", "**/.data/", ".git/", "deploy/", "!deploy/rulesets/" }));
        // deploy/ is ignored after every COPY source outside it is kept; deploy/rulesets is let in again.
        Assert.That(ignored.IndexOf("!deploy/rulesets/"), Is.GreaterThan(ignored.IndexOf("deploy/")));
    }

    [Test]
    public void The_Dockerfile_sets_no_secret_and_declares_no_health_check()
    {
        var settings = Dockerfile.Instructions.Value.Where(instruction => instruction.Instruction is "ENV" or "ARG").Select(instruction => instruction.Arguments);
        Assert.That(settings.Where(setting => Secrets.LooksSecret(setting.Split('=', ' ')[0])), Is.Empty);
        // The probes are the compose file's and Kubernetes'; the runtime image has no curl for a HEALTHCHECK anyway.
        Assert.That(Dockerfile.Instructions.Value.Select(instruction => instruction.Instruction), Does.Not.Contain("HEALTHCHECK"));
    }
}

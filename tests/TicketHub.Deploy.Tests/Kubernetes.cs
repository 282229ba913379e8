namespace TicketHub.Deploy.Tests;

/// <summary>deploy/kubernetes: its objects, by kind, and the settings each Deployment's container receives.</summary>
internal static class Kubernetes
{
    public const string Folder = "deploy/kubernetes";

    /// <summary>Every manifest file of the folder (the kustomization apart), as repository paths.</summary>
    public static IReadOnlyList<string> ManifestFiles() =>
        Directory.EnumerateFiles(Repository.PathOf(Folder), "*.yaml")
            .Select(path => $"{Folder}/{Path.GetFileName(path)}")
            .Where(path => !path.EndsWith("/kustomization.yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static readonly Lazy<IReadOnlyList<(string File, Dictionary<string, object?> Object)>> Objects = new(() =>
        ManifestFiles().SelectMany(file => Yaml.LoadAll(file).Select(document => (file, document))).ToList());

    public static IEnumerable<Dictionary<string, object?>> OfKind(string kind) =>
        Objects.Value.Where(entry => entry.Object.StringAt("kind") == kind).Select(entry => entry.Object);

    public static Dictionary<string, object?>? Find(string kind, string? name) =>
        OfKind(kind).FirstOrDefault(item => item.StringAt("metadata", "name") == name);

    public static Dictionary<string, object?> Deployment(string name) =>
        Find("Deployment", name) ?? throw new AssertionException($"{Folder} has no Deployment '{name}'.");

    public static Dictionary<string, object?> MainContainer(Dictionary<string, object?> deployment) =>
        deployment.ListAt("spec", "template", "spec", "containers").OfType<Dictionary<string, object?>>().FirstOrDefault()
            ?? throw new AssertionException($"Deployment {deployment.StringAt("metadata", "name")} has no container.");

    /// <summary>
    /// What the Deployment's container receives (keys with ':'): its <c>envFrom</c> ConfigMaps and Secrets
    /// in order, then its <c>env</c>, later ones winning as in Kubernetes.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Settings(string deploymentName)
    {
        var container = MainContainer(Deployment(deploymentName));
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in container.ListAt("envFrom"))
        {
            var (kind, name) = source.At("configMapRef") is not null
                ? ("ConfigMap", source.StringAt("configMapRef", "name"))
                : ("Secret", source.StringAt("secretRef", "name"));
            var found = Find(kind, name) ?? throw new AssertionException($"Deployment {deploymentName} loads {kind} '{name}', which no manifest defines.");
            foreach (var (key, value) in found.StringsAt(kind == "Secret" ? "stringData" : "data"))
            {
                settings[key.Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        foreach (var variable in container.ListAt("env"))
        {
            settings[(variable.StringAt("name") ?? "").Replace("__", ":", StringComparison.Ordinal)] = variable.StringAt("value") ?? "(from a reference)";
        }

        return settings;
    }
}

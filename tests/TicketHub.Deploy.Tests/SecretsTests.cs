using System.Text.RegularExpressions;

namespace TicketHub.Deploy.Tests;

/// <summary>No secret is committed with the deployment artefacts: placeholders only, and secrets only where secrets go.</summary>
public sealed partial class SecretsTests
{
    [Test]
    public void Kubernetes_Secrets_hold_placeholders_only_in_plain_text()
    {
        var problems = new List<string>();
        foreach (var secret in Kubernetes.OfKind("Secret"))
        {
            var name = secret.StringAt("metadata", "name");
            if (secret.At("data") is not null)
            {
                problems.Add($"Secret {name} uses data (base64 hides what it holds): stringData, placeholders only");
            }

            foreach (var (key, value) in secret.StringsAt("stringData"))
            {
                var password = Regex.Match(value, "Password=(?<password>[^;]*)");
                if (password.Success ? password.Groups["password"].Value != Secrets.KubernetesPlaceholder : !value.Contains(Secrets.KubernetesPlaceholder, StringComparison.Ordinal))
                {
                    problems.Add($"Secret {name}, {key}: not a placeholder ({Secrets.KubernetesPlaceholder})");
                }
            }
        }

        Assert.That(Kubernetes.OfKind("Secret"), Is.Not.Empty);
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Kubernetes_ConfigMaps_hold_no_password_token_or_private_key()
    {
        var problems = Kubernetes.OfKind("ConfigMap")
            .SelectMany(map => map.StringsAt("data").Select(entry => (Map: map.StringAt("metadata", "name"), entry.Key, entry.Value)))
            .Where(entry => Secrets.LooksSecret(entry.Key) || LooksLikeSecretValue(entry.Value))
            .Select(entry => $"ConfigMap {entry.Map}, {entry.Key}");
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void The_compose_file_takes_every_secret_from_the_environment()
    {
        var problems = new List<string>();
        foreach (var (name, service) in Compose.Services)
        {
            foreach (var (key, value) in service.StringsAt("environment"))
            {
                var secretPart = Secrets.LooksSecret(key) ? value : Regex.Match(value, "Password=(?<password>[^;]*)").Groups["password"].Value;
                if (secretPart.Length > 0 && !WholeReference().IsMatch(secretPart))
                {
                    problems.Add($"{name}, {key}: a secret written in the file rather than a ${{VARIABLE}} from .env");
                }

                if (LooksLikeSecretValue(value) && !value.Contains("${", StringComparison.Ordinal))
                {
                    problems.Add($"{name}, {key}: looks like a secret");
                }
            }
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Env_example_holds_a_placeholder_for_every_secret()
    {
        var secrets = Compose.ExampleVariables.Value.Where(variable => Secrets.LooksSecret(variable.Key)).ToList();
        Assert.That(secrets, Is.Not.Empty);
        Assert.That(secrets.Where(variable => variable.Value != Secrets.EnvPlaceholder).Select(variable => variable.Key), Is.Empty);
    }

    [Test]
    public void Git_ignores_the_real_env_file_and_the_keys_of_an_installation()
    {
        var ignored = Repository.Read($"{Compose.Folder}/.gitignore").Split('\n').Select(line => line.Trim()).ToList();
        Assert.That(ignored, Is.SupersetOf(new[] { ".env", "secrets/" }));
    }

    [Test]
    public void No_API_key_or_private_key_material_is_in_the_deployment_files()
    {
        var files = new[] { "deploy/docker", Compose.Folder, Kubernetes.Folder }
            .SelectMany(folder => Directory.EnumerateFiles(Repository.PathOf(folder), "*", SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(Repository.Root, path).Replace('\\', '/'))
            .Where(path => !path.EndsWith("/.env", StringComparison.Ordinal) && !path.Contains("/secrets/", StringComparison.Ordinal));
        var found = files.Where(file => LooksLikeSecretValue(Repository.Read(file)));
        Assert.That(found, Is.Empty);
    }

    /// <summary>An API key of the hub (<c>thk_id_secret</c>) or the body of a PEM private key.</summary>
    private static bool LooksLikeSecretValue(string text) => SecretValue().IsMatch(text);

    [GeneratedRegex(@"thk_[A-Za-z0-9]+_[A-Za-z0-9]{20,}|PRIVATE KEY-----\s+[A-Za-z0-9+/=]{40,}")]
    private static partial Regex SecretValue();

    [GeneratedRegex(@"^\$\{[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?\}$")]
    private static partial Regex WholeReference();
}

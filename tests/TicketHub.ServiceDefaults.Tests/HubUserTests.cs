using System.Security.Claims;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary><see cref="HubUser.From"/>: a user only when the token says enough about who acts.</summary>
public class HubUserTests
{
    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), authenticationType: "test"));

    [Test]
    public void No_principal_or_an_anonymous_one_is_no_user()
    {
        Assert.That(HubUser.From(null), Is.Null);
        Assert.That(HubUser.From(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "x"), new Claim("role", "admin")]))), Is.Null, "not authenticated");
    }

    [Test]
    public void Without_a_subject_there_is_no_user() =>
        Assert.That(HubUser.From(Principal(("role", "admin"), ("name", "X"))), Is.Null);

    [TestCase("")]
    [TestCase("stagiaire")]
    [TestCase("Admin")]
    public void An_unknown_role_is_no_user(string role) =>
        Assert.That(HubUser.From(Principal(("sub", "x"), ("role", role))), Is.Null);

    [Test]
    public void Without_a_role_there_is_no_user() =>
        Assert.That(HubUser.From(Principal(("sub", "x"))), Is.Null);

    [Test]
    public void A_college_user_without_its_UAI_is_no_user() =>
        Assert.That(HubUser.From(Principal(("sub", "x"), ("role", "college"))), Is.Null);

    [Test]
    public void A_UAI_on_another_role_is_ignored() =>
        Assert.That(HubUser.From(Principal(("sub", "x"), ("role", "dispatcher"), ("uai", "0931234X")))!.Uai, Is.Null);

    [Test]
    public void Without_a_name_the_subject_names_the_user() =>
        Assert.That(HubUser.From(Principal(("sub", "compte-42"), ("role", "admin")))!.Name, Is.EqualTo("compte-42"));

    [TestCase("key", true)]
    [TestCase("person", false)]
    [TestCase("autre", false)]
    public void Kind_key_is_an_API_key_anything_else_a_person(string kind, bool isKey) =>
        Assert.That(HubUser.From(Principal(("sub", "x"), ("role", "admin"), ("kind", kind)))!.IsApiKey, Is.EqualTo(isKey));

    [Test]
    public void Without_a_kind_the_user_is_a_person() =>
        Assert.That(HubUser.From(Principal(("sub", "x"), ("role", "admin")))!.IsApiKey, Is.False);

    [Test]
    public void A_college_user_keeps_its_UAI_and_says_so()
    {
        var user = HubUser.From(Principal(("sub", "c"), ("role", "college"), ("uai", "0931234X"), ("name", "Secrétariat")))!;

        Assert.That((user.IsCollege, user.IsAdmin, user.Uai, user.AuditName), Is.EqualTo((true, false, "0931234X", "Secrétariat (college)")));
    }

    [Test]
    public void Its_claims_read_back_as_the_same_user()
    {
        var user = new HubUser("c", "Secrétariat", HubRoles.College, "0931234X", IsApiKey: true);

        Assert.That(HubUser.From(new ClaimsPrincipal(new ClaimsIdentity(user.ToClaims(), "test"))), Is.EqualTo(user));
    }

    [Test]
    public void The_audit_name_is_cut_to_its_column_without_splitting_an_emoji()
    {
        var user = new HubUser("x", "a" + string.Concat(Enumerable.Repeat("😀", 10)), HubRoles.Admin, null, false);

        Assert.That(user.AuditNameWithin(100), Is.EqualTo(user.AuditName));
        Assert.That(user.AuditNameWithin(4), Is.EqualTo("a😀"), "the fourth character is half an emoji: cut before it");
        Assert.That(user.AuditNameWithin(5), Is.EqualTo("a😀😀"));
    }

    [Test]
    public void The_roles_are_the_six_of_TicketHub_with_their_French_names()
    {
        Assert.That(HubRoles.All, Is.EqualTo(new[] { "college", "infogerant", "rectorat", "omere", "dispatcher", "admin" }));
        Assert.That(HubRoles.All.Select(HubRoles.FrenchName), Does.Not.Contain("").And.All.Not.EqualTo("college"));
    }
}

using Eventd.KiotaClient.Generated;
using Eventd.KiotaClient.Generated.Eventd.V1.Events;
using Eventd.KiotaClient.Generated.Models;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;

// Creates, reads and cancels an event with nothing but the client Kiota generated from the gateway's OpenAPI
// document, then reads an unknown id to see the documented error type. One "step: field=value ..." line per
// answer, as the client's own models parsed it: KiotaClientTests compares them with plain HTTP.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Eventd.KiotaClient <gateway url> <webhook url>");
    return 2;
}

using var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider()) { BaseUrl = args[0] };
var events = new EventdClient(adapter).Eventd.V1.Events;

var created = await events.PostAsync(new EventsPostRequestBody
{
    Delay = 3600,
    Url = args[1],
    Data = new UntypedObject(new Dictionary<string, UntypedNode> { ["from"] = new UntypedString("kiota") }),
    Retries = 2,
});
var id = created?.Id ?? throw new InvalidOperationException("create answered no id");
Console.WriteLine($"created: id={id} ok={created.Ok} cancel={created.Cancel}");

Console.WriteLine($"read: {await DescribeAsync(await events[id].GetAsync())}");

var cancelled = await events[id].DeleteAsync();
Console.WriteLine($"cancelled: id={cancelled?.Id} ok={cancelled?.Ok}");

Console.WriteLine($"reread: {await DescribeAsync(await events[id].GetAsync())}");

try
{
    await events[new string('0', 32)].GetAsync();
    Console.WriteLine("missing: found");
}
catch (ErrorEnvelope refused)
{
    Console.WriteLine($"missing: code={refused.ResponseStatusCode} ok={refused.Ok} error={refused.Error}");
}

return 0;

static async Task<string> DescribeAsync(ReadEnvelope? read)
{
    var e = read?.Event ?? throw new InvalidOperationException("read answered no event");
    var from = e.Data is UntypedObject data && data.GetValue().TryGetValue("from", out var value) && value is UntypedString text ? text.GetValue() : null;
    return $"id={e.Id} status={e.Status} url={e.Url} retries={e.Retries} repeat={await JsonAsync(e.Repeat)} from={from} " +
        $"nextFireAt={e.NextFireAt?.ToUnixTimeSeconds()} fireCount={e.FireCount}";
}

static async Task<string?> JsonAsync(UntypedNode? node) => node is null ? null : await KiotaJsonSerializer.SerializeAsStringAsync(node);

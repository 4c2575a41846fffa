// The namespaces most test classes of this project read: declared once here rather than at the top of each file.
global using System.Text;
global using System.Text.Json.Nodes;
global using Remediator.Approvals.Tests.Support;
global using Remediator.Aws.Transport;
global using Remediator.Core.Approvals;
global using Remediator.Core.Audit;
global using Remediator.Runtime.Logging;
global using Remediator.Runtime.Metrics;
global using Remediator.Testing;
global using static Remediator.Approvals.Tests.Support.ApprovalRig;

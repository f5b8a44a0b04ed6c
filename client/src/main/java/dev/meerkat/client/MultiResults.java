package dev.meerkat.client;

import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.OpCode;
import dev.meerkat.protocol.record.Create2Response;
import dev.meerkat.protocol.record.CreateResponse;
import dev.meerkat.protocol.record.GetChildrenResponse;
import dev.meerkat.protocol.record.GetDataResponse;
import dev.meerkat.protocol.record.MultiResponse;
import dev.meerkat.protocol.record.SetDataResponse;

import java.util.ArrayList;
import java.util.List;

/** Turns a MultiResponse into the caller's view of it, chroot removed from created paths. */
final class MultiResults {
    private MultiResults() {
    }

    static List<OpResult> of(MultiResponse response, Chroot chroot) {
        List<OpResult> out = new ArrayList<>();
        for (MultiResponse.Result r : response.results()) {
            out.add(switch (r.type()) {
                case OpCode.CREATE -> new OpResult.CreateResult(chroot.toClient(((CreateResponse) r.body()).path()), null);
                case OpCode.CREATE2 -> {
                    Create2Response c = (Create2Response) r.body();
                    yield new OpResult.CreateResult(chroot.toClient(c.path()), c.stat());
                }
                case OpCode.DELETE, OpCode.DELETE_CONTAINER -> new OpResult.DeleteResult();
                case OpCode.SET_DATA -> new OpResult.SetDataResult(((SetDataResponse) r.body()).stat());
                case OpCode.CHECK -> new OpResult.CheckResult();
                case OpCode.GET_DATA -> {
                    GetDataResponse d = (GetDataResponse) r.body();
                    yield new OpResult.GetDataResult(d.data(), d.stat());
                }
                case OpCode.GET_CHILDREN -> {
                    List<String> names = ((GetChildrenResponse) r.body()).children();
                    yield new OpResult.GetChildrenResult(names == null ? List.of() : List.copyOf(names));
                }
                default -> {
                    Code code = Packet.codeOf(r.err());
                    yield new OpResult.ErrorResult(code == null ? Code.SYSTEMERROR : code);
                }
            });
        }
        return List.copyOf(out);
    }
}

/**
 * Questions about a cancellation or a number, not requests for one: where a submitted
 * deregistration stands, a record that vanished unasked, what a prefix means.
 */
import { describe, expect, it } from 'vitest';
import { understand } from '../../src/understand/understand.js';

describe('where a submitted deregistration stands is a status question', () => {
  it.each([
    'We submitted the deregistration last week — how can I check if it is done?',
    '注销申请上周交了，现在到哪一步了？',
    '不是要注销，只想确认下我们的备案还有效吗',
    '網站備案註銷了沒？上週送出申請，怎麼查進度？',
  ])('%s', (text) => {
    expect(understand(text).intent).toBe('filing_status');
  });
});

describe('a cancellation nobody asked for is a vanished record', () => {
  it.each([
    '我们没申请注销，备案怎么就没了？浙江的',
    'our beian got removed and the site shows 未备案, we never asked for this',
  ])('%s', (text) => {
    expect(understand(text).intent).toBe('record_vanished');
  });
});

describe('a record-number prefix asked about is the number format', () => {
  it.each(['滇ICP备 是哪个省的？', '为什么我们的备案号是陇ICP备，不是甘ICP备？'])('%s', (text) => {
    expect(understand(text).intent).toBe('number_format');
  });
});

describe('the parts of a number asked about (year, suffix, format, validation) are the number format', () => {
  it.each([
    '备案号中间的2019是年份吗',
    '备案号的格式是什么，我们表单要校验',
    'Is there a regex to validate ICP record numbers on our sign-up form?',
    'The 2020 in our record number — is it the year the filing was made?',
  ])('%s', (text) => {
    expect(understand(text).intent).toBe('number_format');
  });
});

describe('what follows from a domain moved or lapsing is the domain question, not a cancellation', () => {
  it.each([
    'We are transferring our domain to another registrar. Does the ICP filing go with it?',
    'Our domain expires in June — does that cancel the beian automatically?',
    '域名转出到别的注册商以后，备案会不会自动没了？',
  ])('%s', (text) => {
    const u = understand(text);
    expect(u.intent).toBe('domain_vs_filing');
  });
});

describe('what one kind of cancellation does, asked yes-or-no, is the kinds question', () => {
  it.each(['注销主体是不是把下面的网站也都注销了？', '取消接入以后备案号还在吗？跟注销备案是一回事吗'])(
    '%s',
    (text) => {
      const u = understand(text);
      expect(u.intent).toBe('cancel_kinds');
      expect((u.also ?? []).map((n) => n.intent)).not.toContain('deregister');
    },
  );

  it('not where a cancellation is requested', () => {
    expect(understand('我们要注销主体，是不是网站也会一起注销？浙江的').intent).toBe('deregister');
  });
});

describe('a service fee or the status of a cancellation, asked in other words, is its topic', () => {
  it.each([
    ['你们代办注销备案收不收服务费？', 'fees'],
    ['注销备案的手续费是多少', 'fees'],
    ['上周交的注销申请，现在状态怎么查？', 'filing_status'],
  ])('%s', (text, topic) => {
    expect(understand(text).intent).toBe(topic);
  });
});

describe('where a cancellation stands, in more words ("approved yet?", 办好了没有)', () => {
  it.each([
    'Has our deregistration been approved yet? We sent it in on Monday for 皖ICP备19001234号',
    '我们的取消接入办好了没有？',
  ])('%s', (text) => {
    expect(understand(text).intent).toBe('filing_status');
  });
});

describe('which kind someone would pick, asked out of curiosity, is the kinds question', () => {
  it('"When would someone pick 注销主体 over 注销网站? Just curious."', () => {
    expect(understand('When would you pick 注销网站 over 注销主体? Just curious, nothing to do yet.').intent).toBe(
      'cancel_kinds',
    );
  });
});

describe('a typo as close to two forms of one keyword is that keyword ("cancell": cancel, cancels)', () => {
  it.each([['how to cancell our beian, 浙ICP备17001234号', 'deregister']])('%s', (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });
});

describe('thanks after a finished task is chatter, whatever it names', () => {
  it.each(['Thanks, found the record number on the MIIT page!', '谢谢，备案密码的事明白了'])('%s', (text) => {
    expect(understand(text).intent).toBe('thanks');
  });
});

describe('a deregistration described without a cancelling word', () => {
  it.each([
    ['How do we get our old shop off the MIIT record list? 浙ICP备17001234号', 'zhejiang'],
    [
      'The company is gone; what do we do about the website registration still under its name? Filed in Tianjin.',
      'tianjin',
    ],
    ['网站不做了，不想让管局那边还挂着我们公司的名字，当初在湖北备的', 'hubei'],
    ['个人网站关了，我的身份证还绑在那条备案上，怎么解绑？闽ICP备2019001122号-1', 'fujian'],
  ])('%s', (text, province) => {
    expect(understand(text)).toMatchObject({ intent: 'deregister', province });
  });

  it('not once it is gone: "the MIIT record no longer exists, thanks!"', () => {
    expect(understand('All done, the MIIT record no longer exists. Thanks!').intent).not.toBe('deregister');
  });
});

describe('moving to another provider, however it is typed, is never a deregistration', () => {
  it.each([
    'moving to anothr cloud, do we ned to cancel the beian?',
    'cx is moving their site from us to Tencent Cloud and asks if they must cancel the filing first',
    'We are moving hosting from you to AWS. Does the filing need to be cancelled first, or can it be carried over?',
  ])('%s', (text) => {
    expect(understand(text).intent).toBe('switch_provider');
  });
});

describe('more questions about a cancellation, not requests', () => {
  it.each([
    ['Did the cancellation for 皖ICP备19001234号 go through? submitted on Monday', 'filing_status'],
    ['我们的注销申请交了，怎么知道有没有通过？', 'filing_status'],
    ['不是我们要注销的，是管局把我们的备案注销了，现在查不到', 'record_vanished'],
  ])('%s', (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });
});

describe('a blocker said in pinyin or behind a cancellation the classifier prefers', () => {
  it.each([
    ['beian hao bu zhidao, yao zhuxiao, Jinan de gongsi', 'shandong'],
    ['please cancel the beian for our Xiamen shop, they lost the number though', 'fujian'],
  ])('%s', (text, province) => {
    const u = understand(text);
    expect(u.intent).toBe('lost_record_number');
    expect(u.also).toContainEqual({ intent: 'deregister', province });
  });
});

describe('a cancelling word beside a written record number', () => {
  it('is a request about that filing, whatever the classifier reads: "the record number is 津ICP备…, we would like it removed"', () => {
    const u = understand(
      'Our office is in Beijing but the record number is 津ICP备16002222号. We would like it removed.',
    );
    expect(u).toMatchObject({ intent: 'deregister', province: 'tianjin' });
  });

  it('"I don\'t want a filing hanging around under my name" wants it gone', () => {
    expect(
      understand("Our Hangzhou studio closed and I don't want a filing hanging around under my name."),
    ).toMatchObject({
      intent: 'deregister',
      province: 'zhejiang',
    });
  });
});

describe('a request already submitted is told, and the question after it is the ask', () => {
  it.each([
    'Submitted the deregistration last week. How do I see whether it went through?',
    '注销申请已提交。怎么查有没有通过？',
  ])('%s', (text) => {
    const u = understand(text);
    expect(u.intent).toBe('filing_status');
    expect(u.also ?? []).toEqual([]);
  });
  it('not a request made beside it: "We submitted the Beijing one. Please also cancel 沪ICP备…"', () => {
    expect(understand('We submitted the Beijing one. Please also cancel 沪ICP备17001234号.').intent).toBe('deregister');
  });
});

describe('a filing removed without being asked for is a vanished record', () => {
  it.each([
    'Why was my filing removed? I never asked anyone to cancel it.',
    'Our filing was removed, nobody asked for that.',
  ])('%s', (text) => {
    expect(understand(text).intent).toBe('record_vanished');
  });
});

describe('the licence named as such (ICP证, B2) is the licence, lost or not', () => {
  it.each(['我们的ICP证编号忘了，在哪里能查到？', 'lost our B2 licence number, where can we look it up?'])(
    '%s',
    (text) => {
      expect(understand(text).intent).toBe('icp_licence');
    },
  );
  it.each([
    ['许可证号找不到了，怎么查询', 'lost_record_number'],
    ['不是ICP证，是普通的备案号，忘了', 'lost_record_number'],
    ['B2开头那个许可证号我们有，要的是ICP备案号，这个反倒不记得了', 'lost_record_number'],
  ])('but not a filing number by another name: %s', (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });
});

describe('what the bot covers, asked with the topics it lists, is help', () => {
  it.each([
    'What can you help with - beian cancellations, passwords, that kind of thing?',
    '你能帮什么？备案注销、密码之类的？',
  ])('%s', (text) => {
    const u = understand(text);
    expect(u.intent).toBe('help');
    expect(u.also ?? []).toEqual([]);
    expect(u.options ?? []).toEqual([]);
  });
  it.each([
    ['what can you do? I forgot our filing password', 'forgot_password'],
    ['你能帮什么？我要注销浙ICP备17001234号', 'deregister'],
  ])('not where a need is named too: %s', (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });
});

describe('a topic named only to be excluded is not asked ("not asking about the 公安备案")', () => {
  it.each([
    "I'm not asking about the 公安备案, I need our ICP record number.",
    'Not the 公安备案 number — the ICP record number. Where do I find it?',
  ])('%s', (text) => {
    expect(understand(text).intent).not.toBe('public_security_filing');
  });
  it('while "don\'t know our 备案号" still says the number is lost', () => {
    expect(understand("we don't know our 备案号, can you look it up").intent).toBe('lost_record_number');
  });
});

describe("a number gone from MIIT's site is a vanished record, not a lost number", () => {
  it.each([
    'Our 沪ICP备 number 不见了 on the MIIT site',
    'theres no ICP number for our site anymore on the miit site??',
  ])('%s', (text) => {
    const u = understand(text);
    expect(u.intent === 'record_vanished' || (u.options ?? []).includes('record_vanished')).toBe(true);
    expect(u.intent).not.toBe('lost_record_number');
  });
});

describe('what a part of a number means is the number format, asked in more words', () => {
  it.each([
    '这个 record number 的 -1 是什么 meaning?',
    '黔ICP备开头的是贵州的号吗？',
    'Our number starts with 蜀ICP备 — why 蜀 and not 川?',
    '我的ICP备案号后面那个 -2 -3 的 suffix, what does it mean?',
  ])('%s', (text) => {
    expect(understand(text).intent).toBe('number_format');
  });
  it.each([
    ["What's my site's -n suffix? I only know the main entity number", 'lost_record_number'],
    ['Our number starts with 浙ICP备2019, please cancel it', 'deregister'],
  ])('not which number is ours, nor a cancellation: %s', (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });
});

describe('a cancellation told as done, then filing again, is the new filing', () => {
  it.each([
    'We cancelled our old filing last year; now we want to file again for a new site. Where do we start?',
    'Our filing was cancelled last year; how do we file the same domain again?',
  ])('%s', (text) => {
    const u = understand(text);
    expect(u.intent).toBe('new_filing');
    expect(u.also ?? []).toEqual([]);
  });
});

describe('a sentence of thanks tells what was done: no cancellation asked', () => {
  it.each([
    'Hello Support,\n\nFollowing up on my previous mail: the deregistration of our Chongqing filing is now complete. Thank you for all your help!\n\nBest',
    'Hi,\n\nThank you for helping us cancel the filing last week. Everything is done now.\n\nKind regards,\nPeter',
  ])('%s', (text) => {
    expect(understand(text).intent).not.toBe('deregister');
  });
  it('but a request after the thanks is asked: "Thanks for last time! Please cancel 浙ICP备17001234号 too."', () => {
    expect(understand('Thanks for last time! Please cancel 浙ICP备17001234号 too.').intent).toBe('deregister');
  });
});

describe('it worked, told with thanks, is chatter', () => {
  it.each(["Great, password reset worked, I'm in now. Thanks!", '备案密码重置成功了，谢谢！'])('%s', (text) => {
    expect(understand(text).intent).toBe('thanks');
  });
  it('while a password still lost is asked: "reset didn\'t work, we still can\'t log in to the filing system"', () => {
    expect(understand("reset didn't work, we still can't log in to the filing system").intent).toBe('forgot_password');
  });
});

describe('a cancellation "without our request" is a vanished record', () => {
  it.each(['Why was 鲁ICP备17004567号 cancelled without our request?', '备案没经过我们同意就被注销了，怎么回事'])(
    '%s',
    (text) => {
      expect(understand(text).intent).toBe('record_vanished');
    },
  );
});

describe('"it worked" negated is no success', () => {
  it("the reset hasn't worked, we still can't get into the filing system", () => {
    expect(understand("the reset hasn't worked, we still can't get into the filing system. Thanks").intent).toBe(
      'forgot_password',
    );
  });
});

describe('what one kind does, asked with 会不会, is the kinds question', () => {
  it('注销网站会不会把整个主体都注销掉？', () => {
    expect(understand('注销网站会不会把整个主体都注销掉？').intent).toBe('cancel_kinds');
  });
});

describe('"btw" after "difference" is "between"', () => {
  it('wat is teh diffrence btw 注销主体 and 取消接入', () => {
    const u = understand('wat is teh diffrence btw 注销主体 and 取消接入');
    expect(u.intent).toBe('cancel_kinds');
    expect(u.also ?? []).toEqual([]);
  });
  it('while "btw" elsewhere still starts another ask', () => {
    const u = understand('Please cancel 浙ICP备17001234号, btw we also lost the filing password');
    expect([u.intent, ...(u.also ?? []).map((n) => n.intent)].sort()).toEqual(['deregister', 'forgot_password']);
  });
});

describe('a cancellation by the administration, told, is a vanished record', () => {
  it.each([
    'the 管局 cancelled our filing as a 空壳网站, how do we get it back?',
    'Yesterday the beian was there, today the query returns nothing for our domain.',
  ])('%s', (text) => {
    expect(understand(text).intent).toBe('record_vanished');
  });
});

describe('moving hosts is moving provider', () => {
  it('moving hosts, do i gotta nuke the beian first or nah', () => {
    expect(understand('moving hosts, do i gotta nuke the beian first or nah').intent).toBe('switch_provider');
  });
});

describe('visiting the provider is off topic', () => {
  it("where's your office in Xi'an? want to visit in person", () => {
    expect(understand("where's your office in Xi'an? want to visit in person").intent).not.toBe('deregister');
  });
});

describe('more words for the kinds already here', () => {
  it.each([
    ['why does our record number start with 蜀 and not 川?', 'number_format'],
    ['备案号里的蜀是哪个省？', 'number_format'],
    ['Where do I put the ICP number on my website?', 'display_number'],
  ])('%s → %s', (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });
  it('"Need our ICP number first, then we want to deregister": the number first, the cancellation beside it', () => {
    const u = understand('Need our ICP number first, then we want to deregister the site filed in Tibet.');
    expect(u.intent).toBe('lost_record_number');
    expect(u.also?.[0]).toMatchObject({ intent: 'deregister', province: 'xizang' });
  });
});

describe('from blind-37 and blind-38, each a kind', () => {
  it.each([
    [
      'Forwarding:\n\nHello,\nWe want to move our website from our current provider to yours. Do we need to cancel the existing ICP filing first?\n\nBest,\nDaniel',
      'switch_provider',
    ],
    ['工信部备案系统上找不到我们的备案了，之前明明有的', 'record_vanished'],
    [
      'beian.miit.gov.cn says no record for our domain, but we have a record number 粤ICP备2017012345号-1',
      'record_vanished',
    ],
    ['Customer deregistered last year, now wants a fresh filing for the same domain. Steps?', 'new_filing'],
    ['which one is right if we only have one site, 注销网站 or 注销主体? just asking for now', 'cancel_kinds'],
    ['不是要查备案号，备案号我知道，是要找回备案密码', 'forgot_password'],
  ])('%s → %s', (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });
  it('a domain gone and the record not wanted is a cancellation: "Don\'t want a dangling ICP record…"', () => {
    const u = understand(
      "Domain expired and we're not renewing. Don't want a dangling ICP record under our company in Guangxi.",
    );
    expect(u.intent).toBe('deregister');
    expect(u.province).toBe('guangxi');
  });
  it('a filing cancelled by its number, the licence asked beside it: the cancellation leads', () => {
    const u = understand(
      "I'd like to cancel our filing (晋ICP备2018034567号) — and does our ICP 经营许可证 need cancelling separately?",
    );
    expect(u.intent).toBe('deregister');
    expect((u.also ?? []).map((n) => n.intent)).toContain('icp_licence');
  });
});

describe('city nicknames and negations, as people write them', () => {
  it.each([
    ['帝都的备案 想注销 咋弄', 'beijing'],
    ['pls rm icp for our shop, filed in 魔都', 'shanghai'],
    ['Our Dalian branch filed the site, HQ is in Tianjin; we want the filing cancelled.', 'liaoning'],
  ])('%s → %s', (text, province) => {
    const u = understand(text);
    expect(u.intent).toBe('deregister');
    expect(u.province).toBe(province);
  });
  it('注销主体会把名下所有网站都注销吗？ asks what a kind does', () => {
    expect(understand('注销主体会把名下所有网站都注销吗？').intent).toBe('cancel_kinds');
  });
  it('"aren\'t deregistering" negates the cancellation', () => {
    const u = understand("We aren't deregistering, we just lost our record number.");
    expect(u.intent).toBe('lost_record_number');
    expect((u.also ?? []).map((n) => n.intent)).not.toContain('deregister');
  });
  it('"Not the ICP licence (经营许可证), just the filing number": the licence is not asked', () => {
    expect(understand('Not the ICP licence (经营许可证), just the filing number — where do I find it?').intent).toBe(
      'lost_record_number',
    );
  });
});

describe('from blind-41 and blind-42, each a kind', () => {
  it.each([
    [
      'We just registered a new company in Shenzhen and need a filing number for our site. Where do we start?',
      'new_filing',
    ],
    ['Does it cost anything to get an ICP record number?', 'fees'],
    ['备案号里的年份是备案那年吗', 'number_format'],
    ['Is the number after the dash in our ICP number the website count?', 'number_format'],
  ])('%s → %s', (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });
  it.each([
    ['Company in Yubei District wants its ICP filing withdrawn.', 'chongqing'],
    ['安微的备案注销怎么办', 'anhui'],
  ])('%s → a cancellation in %s', (text, province) => {
    const u = understand(text);
    expect(u.intent).toBe('deregister');
    expect(u.province).toBe(province);
  });
  it.each([
    ['注销陇ICP备20001234号，12381的短信会发给谁？', 'sms_code'],
    [
      'We want to deregister our filing in Shandong. Should we pick 注销主体 or 注销网站? We only have one site.',
      'cancel_kinds',
    ],
  ])('a side question beside a cancellation: %s', (text, other) => {
    const u = understand(text);
    expect(u.intent).toBe('deregister');
    expect((u.also ?? []).map((n) => n.intent)).toContain(other);
  });
});
